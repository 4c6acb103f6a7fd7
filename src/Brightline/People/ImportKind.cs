namespace Brightline.People;

/// <summary>Which MIS-style export a CSV file is.</summary>
public enum ImportKind
{
    Pupils,
    Staff,
    Adults,
}
