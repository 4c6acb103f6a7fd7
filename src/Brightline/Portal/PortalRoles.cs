namespace Brightline.Portal;

/// <summary>
/// The portal's role names (<see cref="Brightline.Data.Entities.SchoolMembership.Role"/>) and which of them
/// may do what. Kept in one place so every page and policy agrees on who sees what.
/// </summary>
public static class PortalRoles
{
    public const string Admin = "admin";
    public const string Dsl = "dsl";
    public const string DeputyDsl = "deputy_dsl";
    public const string Head = "head";
    public const string ComputingLead = "computing_lead";
    public const string BusinessManager = "business_manager";
    public const string ItProvider = "it_provider";
    public const string Teacher = "teacher";
    public const string Staff = "staff";
    public const string Parent = "parent";
    public const string Pupil = "pupil";

    public static readonly IReadOnlyList<string> All =
        [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, ItProvider, Teacher, Staff, Parent, Pupil];

    /// <summary>Roles that see every person at the school.</summary>
    public static readonly IReadOnlyList<string> WholeSchool = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager];

    /// <summary>Roles that can see safeguarding data, so must use two-factor sign-in.</summary>
    public static readonly IReadOnlyList<string> RequireTwoFactor = [Admin, Dsl, DeputyDsl, Head];

    /// <summary>Roles allowed to read the audit log.</summary>
    public static readonly IReadOnlyList<string> AuditReaders = [Admin, Head, Dsl];

    /// <summary>Adults who work at the school: may use the API with their cookie and see the dashboard.</summary>
    public static readonly IReadOnlyList<string> StaffRoles = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, ItProvider, Teacher, Staff];

    /// <summary>Everyone who may open the people list (filtered to their scope); pupils may not.</summary>
    public static readonly IReadOnlyList<string> PeopleReaders = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, ItProvider, Teacher, Staff, Parent];

    /// <summary>Roles that may import people and chase parents.</summary>
    /// <summary>Portal sessions that may use /api/v1 (whole-school readers and the IT provider; not teachers, parents or pupils).</summary>
    public static readonly IReadOnlyList<string> ApiUsers = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, ItProvider];

    public static readonly IReadOnlyList<string> Managers = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static string Describe(string role) => role switch
    {
        Admin => "Administrator",
        Dsl => "Designated safeguarding lead",
        DeputyDsl => "Deputy safeguarding lead",
        Head => "Headteacher",
        ComputingLead => "Computing lead",
        BusinessManager => "Business manager",
        ItProvider => "IT provider",
        Teacher => "Teacher",
        Staff => "Staff",
        Parent => "Parent or carer",
        Pupil => "Pupil",
        _ => role,
    };
}

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
