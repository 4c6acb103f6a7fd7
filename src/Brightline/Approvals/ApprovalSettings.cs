using System.Globalization;
using Brightline.Policy.Model;

namespace Brightline.Approvals;

/// <summary>What an approval type does when it is in force. The policy names a type's kind; the effects are code.</summary>
public static class ApprovalKinds
{
    /// <summary>O3: an exemption from one rule, for the requester, after a written agreement.</summary>
    public const string Exemption = ApprovalKindKeys.Exemption;

    /// <summary>O14: a parent or volunteer acting in an official capacity is filtered as staff while it lasts.</summary>
    public const string OfficialCapacity = ApprovalKindKeys.OfficialCapacity;

    /// <summary>O22: guest Wi-Fi vouchers for a visit.</summary>
    public const string GuestWifi = ApprovalKindKeys.GuestWifi;

    /// <summary>A teacher's temporary unblock of one site for their class's pupils.</summary>
    public const string ClassUnblock = ApprovalKindKeys.ClassUnblock;

    /// <summary>C11: the computing lead's own filtering becomes unrestricted (illegal categories excepted).</summary>
    public const string Unrestricted = ApprovalKindKeys.Unrestricted;

    /// <summary>H17: permission to inspect a person's stored email content.</summary>
    public const string EmailInspection = ApprovalKindKeys.EmailInspection;

    /// <summary>O19: a personal device may hold school data.</summary>
    public const string PersonalDevice = ApprovalKindKeys.PersonalDevice;

    /// <summary>The policy library declares the kinds, because its checks must know them.</summary>
    public static readonly IReadOnlyList<string> All = ApprovalKindKeys.All;

    /// <summary>Kinds that may take effect without an approver (the policy still decides who may ask).</summary>
    public static readonly IReadOnlyList<string> SelfAuthorisable = ApprovalKindKeys.SelfAuthorisable;

    public static bool IsKnown(string kind) => ApprovalKindKeys.IsKnown(kind);
}

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
