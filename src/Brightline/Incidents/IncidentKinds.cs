using Brightline.Policy.Model;

namespace Brightline.Incidents;

public static class IncidentKinds
{
    public const string Safeguarding = IncidentKindKeys.Safeguarding;
    public const string Behaviour = IncidentKindKeys.Behaviour;
    public const string StaffViolation = IncidentKindKeys.StaffViolation;
    public const string Security = IncidentKindKeys.Security;
    public const string DataBreach = IncidentKindKeys.DataBreach;
    public const string LostDevice = IncidentKindKeys.LostDevice;
    public const string FilterReport = IncidentKindKeys.FilterReport;

    /// <summary>The policy library declares the registers, because its checks must know them.</summary>
    public static readonly IReadOnlyList<string> All = IncidentKindKeys.All;

    /// <summary>The default label; a policy may rename a register (<see cref="IncidentKindSettings.Label"/>).</summary>
    public static string Describe(string kind) =>
        IncidentSettings.DefaultKinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal))?.Label ?? kind;
}
