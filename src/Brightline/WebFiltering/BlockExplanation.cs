namespace Brightline.WebFiltering;

/// <summary>The school's decision for one host, in the words the block page needs.</summary>
public sealed record BlockExplanation(string Host, bool Blocked, string? Category, string? CategoryName, bool Illegal, string? RuleId, string? Profile, string Summary, IReadOnlyList<string> Trace)
{
    /// <summary>O3, W4: the approved exemption that let the host through for this person ("type, approved by …, until …"), if one did.</summary>
    public string? Exemption { get; init; }
}
