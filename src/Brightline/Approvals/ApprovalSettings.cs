using System.Globalization;
using Brightline.Policy.Model;

namespace Brightline.Approvals;

/// <summary>
/// The school's approval types: the policy's <c>approvals:</c> section (<see cref="ApprovalsPolicy"/>, typed, checked
/// and given its defaults by the policy library). Keys are documented in docs/approvals.md.
/// </summary>
public sealed class ApprovalSettings
{
    /// <summary>A portal role that is not a portal role: the policy's bursar, matched by the account's email address (H17).</summary>
    public const string Bursar = ApprovalsPolicy.Bursar;

    public const string DefaultExemptionAgreement = ApprovalsPolicy.DefaultExemptionAgreement;

    public const string DefaultDeviceAgreement = ApprovalsPolicy.DefaultDeviceAgreement;

    private ApprovalSettings(IReadOnlyList<ApprovalType> types) => Types = types;

    public IReadOnlyList<ApprovalType> Types { get; }

    public ApprovalType? Find(string? id) => Types.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    /// <summary>The school's types. The policy library refused any policy whose section it could not read, so this cannot fail.</summary>
    public static ApprovalSettings From(SchoolPolicy policy) => new(policy.Approvals.Types);

    /// <summary>A duration in the words a head would use: "1 hour 30 minutes", "30 days".</summary>
    public static string Describe(TimeSpan span)
    {
        if (span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return Plural((int)span.TotalDays, "day");
        }

        var hours = (int)span.TotalHours;
        var minutes = span.Minutes;
        return hours == 0 ? Plural(minutes, "minute") : minutes == 0 ? Plural(hours, "hour") : $"{Plural(hours, "hour")} {Plural(minutes, "minute")}";
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : string.Create(CultureInfo.InvariantCulture, $"{n} {word}s");
}
