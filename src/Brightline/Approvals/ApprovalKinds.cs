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

    /// <summary>O5: new access or changed permissions for a person; approving a role request grants the role.</summary>
    public const string AccessChange = ApprovalKindKeys.AccessChange;

    /// <summary>The policy library declares the kinds, because its checks must know them.</summary>
    public static readonly IReadOnlyList<string> All = ApprovalKindKeys.All;

    /// <summary>Kinds that may take effect without an approver (the policy still decides who may ask).</summary>
    public static readonly IReadOnlyList<string> SelfAuthorisable = ApprovalKindKeys.SelfAuthorisable;

    public static bool IsKnown(string kind) => ApprovalKindKeys.IsKnown(kind);
}
