namespace Brightline.WebFiltering;

/// <summary>Who a URL is tested as: the label shown, and the profiles that person or group is filtered by.</summary>
public sealed record FilterTestSubject(string Label, string[] Profiles)
{
    /// <summary>Their groups (for a location's rules, which are per group); empty when unknown.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>O3, W4: the person's exemptions in force at the tested moment (none for a group).</summary>
    public IReadOnlyList<Brightline.Filtering.FilterExemption> Exemptions { get; init; } = [];
}
