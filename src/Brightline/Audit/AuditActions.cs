namespace Brightline.Audit;

/// <summary>Names of audited actions, so reports and filters can rely on them.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignOut = "sign-out";
    public const string Sign = "sign";
    public const string Acknowledge = "acknowledge";
    public const string RoleChange = "role-change";
    public const string Import = "import";
    public const string PolicyVersion = "policy-version";
    public const string AccountCreated = "account-created";
    public const string TwoFactorEnabled = "two-factor-enabled";
    public const string ReminderSent = "reminder-sent";
    public const string CountersignLinkSent = "countersign-link-sent";

    /// <summary>A list or document downloaded from the portal (CSV or PDF): what, how many rows, which filter.</summary>
    public const string Export = "export";
}
