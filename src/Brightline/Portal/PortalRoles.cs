using Brightline.Policy.Model;

namespace Brightline.Portal;

/// <summary>
/// The portal's role names (<see cref="Brightline.Data.Entities.SchoolMembership.Role"/>), what each is called on
/// screen, and which of them may do what: the one declaration every page, endpoint and feature reads, so they all
/// agree on who sees what. The role names themselves come from the policy library (<see cref="RoleKeys"/> for the
/// roles the policy's roles section names, <see cref="PortalRoleKeys"/> for the rest), because a policy names portal
/// roles in its access lists and its checks must know them; a policy holder and a portal member of the same role match.
/// </summary>
public static class PortalRoles
{
    public const string Admin = PortalRoleKeys.Admin;
    public const string Dsl = RoleKeys.Dsl;
    public const string DeputyDsl = RoleKeys.DeputyDsl;
    public const string Head = RoleKeys.Head;
    public const string ComputingLead = RoleKeys.ComputingLead;
    public const string BusinessManager = RoleKeys.BusinessManager;
    public const string ItProvider = RoleKeys.ItProvider;
    /// <summary>Head of Year (H8): sees the pupils of their own person record's year group, records concerns, imposes sanctions on them.</summary>
    public const string HeadOfYear = RoleKeys.HeadOfYear;
    /// <summary>Senior leadership (SLT): reads the whole school, the reports and the policy record as the head does, but not safeguarding records or the audit log.</summary>
    public const string SeniorLeadership = RoleKeys.SeniorLeadership;
    /// <summary>The school's own IT support: filtering, the network, the device register and security incidents (per the policy's read lists).</summary>
    public const string ItSupport = RoleKeys.ItSupport;
    /// <summary>The bursar (H17): decides what the policy names the bursar for; keeps the device register with the business manager.</summary>
    public const string Bursar = RoleKeys.Bursar;
    public const string Teacher = PortalRoleKeys.Teacher;
    public const string Staff = PortalRoleKeys.Staff;
    public const string Parent = PortalRoleKeys.Parent;
    public const string Pupil = PortalRoleKeys.Pupil;

    /// <summary>Declared by the policy library (<see cref="PortalRoleKeys"/>), whose checks must know the roles a policy may name.</summary>
    public static readonly IReadOnlyList<string> All = PortalRoleKeys.All;

    /// <summary>Roles that see every person at the school.</summary>
    public static readonly IReadOnlyList<string> WholeSchool = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, SeniorLeadership];

    /// <summary>
    /// Roles that see pupils by year group rather than by class (issue 15 part 8): a Head of Year sees the pupils whose year
    /// group is their own person record's — pupils of no year when it has none (the staff import does not read a year column yet).
    /// </summary>
    public static readonly IReadOnlyList<string> YearGroupScoped = [HeadOfYear];

    /// <summary>Roles that can see safeguarding data or the whole school's records, so must use two-factor sign-in.</summary>
    public static readonly IReadOnlyList<string> RequireTwoFactor = [Admin, Dsl, DeputyDsl, Head, SeniorLeadership];

    /// <summary>Roles allowed to read the audit log.</summary>
    public static readonly IReadOnlyList<string> AuditReaders = [Admin, Head, Dsl];

    /// <summary>Adults who work at the school: may use the API with their cookie and see the dashboard.</summary>
    public static readonly IReadOnlyList<string> StaffRoles = PortalRoleKeys.StaffRoles;

    /// <summary>Everyone who may open the people list (filtered to their scope); pupils may not.</summary>
    public static readonly IReadOnlyList<string> PeopleReaders = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, ItProvider, SeniorLeadership, HeadOfYear, ItSupport, Bursar, Teacher, Staff, Parent];

    /// <summary>Portal sessions that may use /api/v1 (whole-school readers and the IT provider; not teachers, parents or pupils).</summary>
    public static readonly IReadOnlyList<string> ApiUsers = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, ItProvider, SeniorLeadership, ItSupport];

    /// <summary>Roles that may import people and chase parents.</summary>
    public static readonly IReadOnlyList<string> Managers = [Admin, Dsl, DeputyDsl, Head, ComputingLead, BusinessManager];

    // [Authorize(Roles = …)] takes one compile-time string, so a set a page attribute needs is declared here once
    // in that form and read as a list through Split; the attribute and the menu cannot then disagree.

    /// <summary>Staff who manage or oversee filtering (profiles, lists, decision log, "test a URL as …"); teachers, other staff, parents and pupils may not.</summary>
    public const string FilteringViewerNames = ComputingLead + "," + ItProvider + "," + Admin + "," + Head + "," + Dsl + "," + DeputyDsl + "," + ItSupport;

    public static readonly IReadOnlyList<string> FilteringViewers = Split(FilteringViewerNames);

    /// <summary>
    /// Who sees the Network page (live sessions, refused sign-ins) and a person's network sessions, and may disconnect a
    /// session (issue 13): the staff who see the filtering decision log, which shows the same kind of thing (who was at
    /// which address), and who run the network or answer for it.
    /// </summary>
    public const string NetworkStaffNames = FilteringViewerNames;

    public static readonly IReadOnlyList<string> NetworkStaff = Split(NetworkStaffNames);

    /// <summary>Who decides unblock requests and reported misses.</summary>
    public const string FilterRequestDeciderNames = ComputingLead + "," + ItProvider + "," + Admin + "," + Head + "," + ItSupport;

    public static readonly IReadOnlyList<string> FilterRequestDeciders = Split(FilterRequestDeciderNames);

    /// <summary>
    /// Who keeps the device register (issue 14): adds, imports, edits and exports devices, records attestations, runs
    /// lost property and leavers' checklists. The people who buy, issue and account for the school's equipment.
    /// </summary>
    public const string DeviceKeeperNames = Admin + "," + Head + "," + ComputingLead + "," + BusinessManager + "," + ItProvider + "," + ItSupport + "," + Bursar;

    public static readonly IReadOnlyList<string> DeviceKeepers = Split(DeviceKeeperNames);

    /// <summary>Who may use the loan book (C15): every adult who works at the school signs equipment out and in.</summary>
    public const string LoanStaffNames = Admin + "," + Head + "," + Dsl + "," + DeputyDsl + "," + ComputingLead + "," + BusinessManager + "," + ItProvider
        + "," + SeniorLeadership + "," + HeadOfYear + "," + ItSupport + "," + Bursar + "," + Teacher + "," + Staff;

    public static readonly IReadOnlyList<string> LoanStaff = Split(LoanStaffNames);

    /// <summary>Roles that may impose and lift sanctions: the whole-school leads, and a Head of Year for the pupils of their year (people scope).</summary>
    public static readonly IReadOnlyList<string> SanctionImposers = [Head, Dsl, DeputyDsl, Admin, HeadOfYear];

    /// <summary>Roles that read the whole custody register; other staff see the devices they recorded or received (H14: the DSL logs receipt).</summary>
    public static readonly IReadOnlyList<string> CustodyReaders = [Head, Dsl, DeputyDsl, Admin, ComputingLead];

    /// <summary>Who may read the governors' report: head, DSL, admin and business manager (issue 5 §5).</summary>
    public static readonly IReadOnlyList<string> GovernorsReportReaders = [Head, Dsl, Admin, BusinessManager, SeniorLeadership];

    /// <summary>Who may read stored review packs: head, DSL, deputy, admin, business manager, computing lead.</summary>
    public static readonly IReadOnlyList<string> ReviewPackReaders = [Head, Dsl, DeputyDsl, Admin, BusinessManager, ComputingLead, SeniorLeadership];

    /// <summary>Who runs the review and records the actions agreed: the head and the safeguarding leads.</summary>
    public static readonly IReadOnlyList<string> ReviewPackCreators = [Head, Dsl, DeputyDsl];

    /// <summary>Who sees the policy's review and approval record (W12, O23, C22): the whole-school leads and the policy's usual owners.</summary>
    public const string PolicyReviewReaderNames = Admin + "," + Head + "," + Dsl + "," + DeputyDsl + "," + ComputingLead + "," + BusinessManager + "," + SeniorLeadership;

    public static readonly IReadOnlyList<string> PolicyReviewReaders = Split(PolicyReviewReaderNames);

    /// <summary>
    /// Who records a review or approval: the head and the computing lead (C22: reviewed by the Computing Lead, approved
    /// by the Head), the business manager (who often clerks the governors) and the administrator.
    /// </summary>
    public static readonly IReadOnlyList<string> PolicyReviewRecorders = [Admin, Head, ComputingLead, BusinessManager];

    /// <summary>Who may erase a person's monitoring data.</summary>
    public static readonly IReadOnlyList<string> MonitoringErasers = [Dsl, Head];

    /// <summary>
    /// The roles that read safeguarding records, for pages outside the register (a custody record links to its
    /// incident only for them). Access within the registers is decided per kind by <see cref="Incidents.IncidentSettings"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> SafeguardingReaders = [Head, Dsl, DeputyDsl];

    /// <summary>Portal roles that may see captured monitoring content and the alert queue unless the policy says otherwise.</summary>
    public static readonly IReadOnlyList<string> MonitoringViewers = [Dsl, DeputyDsl, Head];

    private static string[] Split(string names) => names.Split(',');

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
        HeadOfYear => "Head of Year",
        SeniorLeadership => "Senior leadership",
        ItSupport => "IT support",
        Bursar => "Bursar",
        Teacher => "Teacher",
        Staff => "Staff",
        Parent => "Parent or carer",
        Pupil => "Pupil",
        Brightline.Policy.Model.RoleKeys.ChairOfGovernors => "Chair of governors",
        _ => role,
    };
}
