using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>The answer to "test a URL as …": the request as understood, the decision with its full trace, and the compile problems.</summary>
public sealed record FilterTestResult(string Target, FilterTestSubject Subject, DateTimeOffset Local, FilterDecision Decision, IReadOnlyList<string> Problems)
{
    /// <summary>With <c>--where</c>: which location rule applied and why (and whether the place is closed to them).</summary>
    public string? Where { get; init; }

    /// <summary>True when the place is closed to the subject now: the DNS filter blocks every name there, whatever the profile says.</summary>
    public bool Closed { get; init; }

    /// <summary>The text <c>brightline filter test</c> prints.</summary>
    public string Render() => FilterCommands.Render(Target, Subject.Label, Subject.Profiles, Local, Decision, Problems, Where, Closed);
}
