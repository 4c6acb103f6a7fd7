using System.Globalization;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy;
using Microsoft.EntityFrameworkCore;

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
}
