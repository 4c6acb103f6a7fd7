namespace Brightline.WebFiltering;

/// <summary>How a block page speaks: to a young child, an older pupil, or an adult (who also sees the rule ID).</summary>
public enum BlockAudience
{
    Young,
    Junior,
    Adult,
}
