using Brightline.Policy.Model;

namespace Brightline.Portal;

/// <summary>Authorization policy names used by pages and by the API endpoints other features map.</summary>
public static class PortalPolicies
{
    /// <summary>Bearer API key OR a signed-in staff member's cookie. API endpoints use <c>.RequireAuthorization(PortalPolicies.Api)</c>.</summary>
    public const string Api = "api";
    public const string SignedIn = "signed-in";
    public const string Admin = "role-admin";
    public const string WholeSchool = "role-whole-school";
    public const string Staff = "role-staff";
    public const string People = "role-people";
    public const string Managers = "role-managers";
    public const string Audit = "role-audit";
}
