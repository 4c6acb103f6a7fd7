namespace Brightline.People;

/// <summary>Names compared as people type them: runs of spaces are one space, and case does not count.</summary>
public static class PersonNames
{
    public static string Normalise(string name) =>
        string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
