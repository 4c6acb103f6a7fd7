using Brightline.Policy.Model;

namespace Brightline.Incidents;

/// <summary>
/// The policy's <c>incidents:</c> section (<see cref="IncidentsPolicy"/>, typed and checked by the policy library,
/// with the defaults issue 5 describes) in the units the registers work in. Keys: docs/incidents.md.
/// </summary>
public sealed record IncidentSettings
{
    /// <summary>The register kinds in display order, with the defaults.</summary>
    public static readonly IReadOnlyList<IncidentKindSettings> DefaultKinds = [.. IncidentsPolicy.DefaultKinds.Select(IncidentKindSettings.From)];

    public required IReadOnlyList<IncidentKindSettings> Kinds { get; init; }

    /// <summary>This many incidents about one person within <see cref="PersistentDays"/> make the latest "persistent" (W11).</summary>
    public required int PersistentCount { get; init; }
    public required int PersistentDays { get; init; }
    /// <summary>Who is told, in addition to the kind's list, about a serious or persistent incident (W5, W11).</summary>
    public required IReadOnlyList<string> SeriousNotify { get; init; }

    /// <summary>From discovery to the decision on reporting to the ICO (UK GDPR art. 33: 72 hours).</summary>
    public required TimeSpan BreachDeadline { get; init; }
    /// <summary>Hours after discovery at which the readers are chased while no decision is recorded.</summary>
    public required IReadOnlyList<int> BreachChaseHours { get; init; }

    /// <summary>Role → the roles that report to it: none of them sees or is told of an allegation about a holder of the role.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> LineReports { get; init; }

    public IncidentKindSettings? Find(string? kind) => Kinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal));

    public static IncidentSettings From(SchoolPolicy policy)
    {
        var incidents = policy.Incidents;
        return new IncidentSettings
        {
            Kinds = [.. incidents.Kinds.Select(IncidentKindSettings.From)],
            PersistentCount = incidents.PersistentCount,
            PersistentDays = incidents.PersistentDays,
            SeriousNotify = incidents.SeriousNotify,
            BreachDeadline = TimeSpan.FromHours(incidents.BreachDeadlineHours),
            BreachChaseHours = incidents.BreachChaseHours,
            LineReports = incidents.LineReports,
        };
    }
}
