namespace Brightline.AccessChanges;

/// <summary>The reasons an access change is published with (short codes, stored; never personal data).</summary>
public static class AccessChangeReasons
{
    public const string SanctionImposed = "sanction-imposed";
    public const string SanctionLifted = "sanction-lifted";
    public const string ApprovalStarted = "approval-started";
    public const string ApprovalEnded = "approval-ended";
    public const string AgreementSigned = "agreement-signed";
    public const string AgreementCountersigned = "agreement-countersigned";
    public const string SignedIn = "signed-in";
    public const string SignedOut = "signed-out";
    public const string Leaver = "leaver";

    /// <summary>O5: a portal role granted by an approved access-change request.</summary>
    public const string RoleGranted = "role-granted";

    /// <summary>A portal password changed or reset: a password checked before (by FreeRADIUS's repeat answers) is no longer the one.</summary>
    public const string PasswordChanged = "password-changed";
}
