using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

public static class IncidentKinds
{
    public const string Safeguarding = "safeguarding";
    public const string Behaviour = "behaviour";
    public const string StaffViolation = "staff_violation";
    public const string Security = "security";
    public const string DataBreach = "data_breach";
    public const string LostDevice = "lost_device";
    public const string FilterReport = "filter_report";

    public static readonly IReadOnlyList<string> All =
        [Safeguarding, Behaviour, StaffViolation, Security, DataBreach, LostDevice, FilterReport];

    /// <summary>The default label; a policy may rename a register (<see cref="IncidentKindSettings.Label"/>).</summary>
    public static string Describe(string kind) =>
        IncidentSettings.DefaultKinds.FirstOrDefault(k => string.Equals(k.Key, kind, StringComparison.Ordinal))?.Label ?? kind;
}
