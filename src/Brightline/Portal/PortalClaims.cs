using Brightline.Policy.Model;

namespace Brightline.Portal;

/// <summary>Claim types the portal adds to a signed-in user for the school currently shown.</summary>
public static class PortalClaims
{
    public const string School = "brightline:school";
    public const string Person = "brightline:person";
    public const string SchoolCount = "brightline:school-count";
    public const string TwoFactor = "brightline:2fa";
    public const string NeedsTwoFactor = "brightline:needs-2fa";

    /// <summary>The cookie's security stamp is no longer the account's: the session has ended (see AccountSessions).</summary>
    public const string SessionEnded = "brightline:session-ended";
}
