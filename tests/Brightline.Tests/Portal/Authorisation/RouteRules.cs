using Brightline.Portal;

namespace Brightline.Tests.Portal.Authorisation;

/// <summary>One concrete request for a route: a path, and the school whose record it opens (null: no record).</summary>
internal sealed record Sample(string Label, string Path, string? School = null, Func<Principal, bool>? Sees = null, string? ContentType = null);

/// <summary>The answer a route owes each principal for each sample.</summary>
internal sealed record RouteRule(IReadOnlyList<Sample> Samples, Func<Principal, Sample, Outcome> Expect);

/// <summary>
/// Who may use each route, declared by hand next to the route's pattern (the pattern as the application maps
/// it). Role sets are written out here rather than taken from <see cref="PortalRoles"/>, so a change to a
/// role list in the product shows up as a failure to look at, not as a silently moved expectation.
/// </summary>
internal static class RouteRules
{
    private static readonly string[] s_signedIn =
    [
        PortalRoles.Admin, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head, PortalRoles.ComputingLead, PortalRoles.BusinessManager,
        PortalRoles.ItProvider, PortalRoles.HeadOfYear, PortalRoles.SeniorLeadership, PortalRoles.ItSupport, PortalRoles.Bursar,
        PortalRoles.Teacher, PortalRoles.Staff, PortalRoles.Parent, PortalRoles.Pupil,
    ];

    // The school's leads: they manage people and agreements. Senior leadership (issue 15 part 8) also reads the whole
    // school, as the head does, but manages nothing.
    private static readonly string[] s_leads = [PortalRoles.Admin, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head, PortalRoles.ComputingLead, PortalRoles.BusinessManager];
    private static readonly string[] s_wholeSchool = [.. s_leads, PortalRoles.SeniorLeadership];
    private static readonly string[] s_staff = [.. s_wholeSchool, PortalRoles.ItProvider, PortalRoles.HeadOfYear, PortalRoles.ItSupport, PortalRoles.Bursar, PortalRoles.Teacher, PortalRoles.Staff];
    private static readonly string[] s_peopleReaders = [.. s_staff, PortalRoles.Parent];
    private static readonly string[] s_managers = s_leads;
    private static readonly string[] s_audit = [PortalRoles.Admin, PortalRoles.Head, PortalRoles.Dsl];
    private static readonly string[] s_admin = [PortalRoles.Admin];
    private static readonly string[] s_filterViewers = [PortalRoles.ComputingLead, PortalRoles.ItProvider, PortalRoles.Admin, PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.ItSupport];
    private static readonly string[] s_requestDeciders = [PortalRoles.ComputingLead, PortalRoles.ItProvider, PortalRoles.Admin, PortalRoles.Head, PortalRoles.ItSupport];
    private static readonly string[] s_networkStaff = [PortalRoles.ComputingLead, PortalRoles.ItProvider, PortalRoles.Admin, PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.ItSupport];
    private static readonly string[] s_loanStaff = [PortalRoles.Admin, PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.ComputingLead,
        PortalRoles.BusinessManager, PortalRoles.ItProvider, PortalRoles.SeniorLeadership, PortalRoles.HeadOfYear, PortalRoles.ItSupport, PortalRoles.Bursar,
        PortalRoles.Teacher, PortalRoles.Staff];
    private static readonly string[] s_deviceManagers = [PortalRoles.Admin, PortalRoles.ItProvider, PortalRoles.ComputingLead];
    private static readonly string[] s_apiUsers = [PortalRoles.Admin, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head, PortalRoles.ComputingLead, PortalRoles.BusinessManager, PortalRoles.ItProvider,
        PortalRoles.SeniorLeadership, PortalRoles.ItSupport];
    private static readonly string[] s_deviceKeepers = [PortalRoles.Admin, PortalRoles.Head, PortalRoles.ComputingLead, PortalRoles.BusinessManager, PortalRoles.ItProvider, PortalRoles.ItSupport, PortalRoles.Bursar];
    private static readonly string[] s_safeguarding = [PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head];
    // F11, C14: the consent lists are read by the whole-school roles and by a teacher for their own class; through the API
    // (whose sessions are the API users') by the whole-school roles.
    private static readonly string[] s_consentReaders = [.. s_leads, PortalRoles.Teacher];
    private static readonly string[] s_consentApi = s_leads;
    // O22: the example policy's network.guests.issued_by (the default, the head).
    private static readonly string[] s_guestIssuers = [PortalRoles.Head];

    // Registers: the roles that read the whole register (others see only what they recorded, or nothing).
    // A Head of Year (issue 15 part 8) imposes sanctions on the pupils of their year only: the matrix's has no person record, so sees none.
    private static readonly string[] s_sanctionImposers = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin, PortalRoles.HeadOfYear];
    private static readonly string[] s_custodyReaders = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin, PortalRoles.ComputingLead];
    private static readonly string[] s_approvalReaders = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin];
    private static readonly string[] s_behaviourReaders = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.ComputingLead];
    private static readonly string[] s_erasers = [PortalRoles.Dsl, PortalRoles.Head];
    private static readonly string[] s_governorsReport = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.Admin, PortalRoles.BusinessManager, PortalRoles.SeniorLeadership];
    private static readonly string[] s_reviewPacks = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin, PortalRoles.BusinessManager, PortalRoles.ComputingLead, PortalRoles.SeniorLeadership];
    private static readonly string[] s_reports = [.. s_governorsReport, .. s_reviewPacks];
    // O17: the access rights register is read by the ICT Coordinator, the head, the IT provider, IT support and admins.
    private static readonly string[] s_accessRights = [PortalRoles.ComputingLead, PortalRoles.Head, PortalRoles.ItProvider, PortalRoles.ItSupport, PortalRoles.Admin];

    public static Dictionary<string, RouteRule> Declared(MatrixWorld w)
    {
        // Records of school A (the caller's school for A principals) and of school B.
        Sample[] Records(string route, string kind) =>
        [
            new("school A", route.Replace("{id}", w.Id($"A.{kind}"), StringComparison.Ordinal), "A"),
            new("school B", route.Replace("{id}", w.Id($"B.{kind}"), StringComparison.Ordinal), "B"),
        ];

        // A person of school A in the teacher's class, one in another class, and a person of school B.
        Sample[] People(string route, Func<Principal, string, bool> sees) =>
        [
            new("own class", route.Replace("{id}", w.Id("A.person.pupil"), StringComparison.Ordinal), "A", p => sees(p, "own class")),
            new("other class", route.Replace("{id}", w.Id("A.person.other-class"), StringComparison.Ordinal), "A", p => sees(p, "other class")),
            new("school B", route.Replace("{id}", w.Id("B.person.pupil"), StringComparison.Ordinal), "B", p => sees(p, "own class")),
        ];

        // Whole-school roles see everyone; a teacher their class; a parent their child; a pupil themselves.
        static bool PersonVisible(Principal p, string which) =>
            s_wholeSchool.Contains(p.Role) || which == "own class" && p.Role is PortalRoles.Teacher or PortalRoles.Parent or PortalRoles.Pupil;

        // A record visible to the register's readers only; anyone else with access to the page finds nothing.
        static Func<Principal, bool> ReadBy(string[] readers) => p => readers.Contains(p.Role);

        Sample[] RecordsReadBy(string route, string kind, Func<Principal, bool> sees) =>
            [.. Records(route, kind).Select(r => r with { Sees = sees })];

        // Machine callers name the school; a staff session may name only its own.
        Sample[] ForSchoolA(string path) => [new("school A", path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "school=" + MatrixWorld.SchoolA, "A")];

        return new(StringComparer.Ordinal)
        {
            ["/"] = Page(s_signedIn),
            ["/acknowledge"] = Page(s_signedIn),
            ["/account/login"] = Anonymous(),
            ["/account/login-2fa"] = new([new("no pending sign-in", "/account/login-2fa")], (_, _) => Outcome.Login),
            ["/account/reset-password"] = Anonymous(),
            ["/account/suspended"] = Anonymous(),
            ["/account/password"] = Page(s_signedIn),
            // Issue 15 (F3, H13): "my password may be compromised" — a confirmation page any signed-in account may open.
            ["/account/password/compromised"] = Page(s_signedIn),
            ["/account/two-factor"] = Page(s_signedIn),
            // Everyone here belongs to one school, so there is nothing to switch to: back to the dashboard.
            ["/account/school"] = new([new("page", "/account/school")], (p, _) => p.IsAnonymous || p.IsMachine ? Outcome.Login : Outcome.Redirect),
            ["/account/logout"] = Page(s_signedIn),
            // Issue 17, defect 2: a plain sign-in lands here and is sent on to the role's home.
            ["/home"] = new([new("page", "/home")], (p, _) => p.IsAnonymous || p.IsMachine ? Outcome.Login : Outcome.Redirect),
            ["/setup"] = new([new("after set-up", "/setup?token=x")], (_, _) => Outcome.NotFound),
            ["/countersign/{token}"] = new([new("unknown link", "/countersign/not-a-real-token")], (_, _) => Outcome.Gone),
            ["/error/{code:int}"] = new([new("404", "/error/404")], (_, _) => Outcome.NotFound),
            ["/blocked"] = Anonymous(),
            ["/assets/site.css"] = Anonymous(),
            ["/assets/favicon.svg"] = Anonymous(),
            ["/assets/portal.js"] = Anonymous(),
            ["/assets/person-picker.js"] = Anonymous(),
            // Issue 18 part 3: the load balancer's probes; one word each, nothing about the school.
            ["/health/live"] = Anonymous(),
            ["/health/ready"] = Anonymous(),

            // Issue 17 (export): each list's CSV is declared beside its page (?handler=csv), with the page's own rule.
            ["/people"] = Page(s_peopleReaders, [new("page", ""), new("csv", "/people?handler=csv")]),
            ["/people/import"] = Page(s_managers),
            // Issue 17: the person picker's search, for the staff forms that choose a person (only people the caller may see).
            ["/people/search"] = Page(s_staff),
            ["/people/{id:guid}"] = Page(s_signedIn, People("/people/{id}", PersonVisible)),
            ["/users"] = Page(s_admin),
            ["/access-rights"] = Page(s_accessRights),
            ["/access-rights/report"] = Page(s_accessRights,
            [
                new("school A person", "/access-rights/report?person=" + w.Id("A.person.pupil"), "A"),
                new("school B person", "/access-rights/report?person=" + w.Id("B.person.pupil"), "B"),
            ]),
            ["/users/create"] = Page(s_admin),
            // Issue 17 bulk action: "give a role to the selected accounts" (confirmation, then the grants).
            ["/users/assign"] = Page(s_admin),
            // ?created=1 once opened another school's account with a working password link (issue 10, item 1).
            ["/users/{id}"] = Page(s_admin, [.. Records("/users/{id}", "account"), .. Records("/users/{id}?created=1", "account")]),
            // Filtering by another school's member once listed their sign-ins (item 2): the page answers, showing nothing of theirs.
            ["/audit"] = Page(s_audit, [new("page", "/audit"), new("other school's actor", "/audit?actor=teacher-b%40matrix.test"), new("sign-ins", "/audit?action=sign-in"), new("csv", "/audit?handler=csv")]),
            ["/agreements"] = Page(s_staff, [new("page", ""), new("status csv", "/agreements?handler=statuscsv")]),
            ["/agreements/chase"] = Page(s_managers),
            // Issue 17 defect 7: a chase's progress; runs are found only in the caller's school, so an unknown one is not found.
            ["/agreements/chase/{run:guid}"] = Page(s_managers, [new("unknown run", "/agreements/chase/" + Guid.Empty, "A", _ => false)]),
            ["/agreements/trends"] = Page(s_staff),
            ["/policy"] = Page(s_signedIn, [new("page", ""), new("pdf", "/policy?handler=pdf")]),
            ["/policy/agreements/{agreementId}"] = Page(s_signedIn, [new("staff agreement", "/policy/agreements/staff")]),
            // W12, O23, C22: the review cycle record; recording is the head, computing lead, business manager or admin (page checks).
            ["/policy/review"] = Page(s_wholeSchool),
            ["/sign"] = Page(s_signedIn),
            // Only someone who owes the staff agreement has a page to sign it; having signed, they are sent to the list.
            ["/sign/{agreementId}"] = new([new("staff agreement", "/sign/staff")], (p, _) =>
                p.IsAnonymous || p.IsMachine ? Outcome.Login : p.Role == PortalRoles.Teacher ? Outcome.Redirect : Outcome.NotFound),
            ["/signatures/{id:guid}"] = Page(s_signedIn, RecordsReadBy("/signatures/{id}", "signature", p => PersonVisible(p, "own class"))),

            ["/incidents"] = Page(s_staff),
            ["/incidents/new"] = Page(s_staff),
            ["/incidents/trends"] = Page(s_staff),
            // A behaviour record: its register's readers; nobody else, not even the class teacher, unless they wrote it.
            // Its chronology as a PDF (?handler=chronology) answers as the page does.
            ["/incidents/{id:guid}"] = new([.. Records("/incidents/{id}", "incident"), .. Records("/incidents/{id}?handler=chronology", "incident")], (p, s) =>
                p.IsAnonymous || p.IsMachine ? Outcome.Login
                : !s_staff.Contains(p.Role) ? Outcome.Forbidden
                : s.School != p.School ? Outcome.NotFound
                : s_behaviourReaders.Contains(p.Role) ? Outcome.Ok
                : Outcome.Forbidden),
            ["/sanctions/impose"] = Page(s_sanctionImposers, [new("for a pupil", "/sanctions/impose?person=" + w.Id("A.person.pupil"), "A", p => PersonVisible(p, "own class"))]),
            ["/sanctions/{id:guid}"] = Page(s_sanctionImposers, RecordsReadBy("/sanctions/{id}", "sanction", p => PersonVisible(p, "own class"))),
            ["/approvals"] = Page(s_staff),
            // The example policy defines no approval types, so there is no form to open.
            ["/approvals/new"] = new([new("page", "/approvals/new")], (p, _) =>
                p.IsAnonymous || p.IsMachine ? Outcome.Login : s_staff.Contains(p.Role) ? Outcome.NotFound : Outcome.Forbidden),
            // The approvers, and the member of staff it is about (the teacher).
            ["/approvals/{id:guid}"] = Page(s_staff, RecordsReadBy("/approvals/{id}", "approval", p => s_approvalReaders.Contains(p.Role) || p.Role == PortalRoles.Teacher)),
            // Device requests (issue 14): everyone signed in may ask (for themselves, a child, a pupil) and list their own; a
            // request nobody linked to it opens reads as not found, and so do its decision handlers.
            ["/devices/requests"] = Page(s_signedIn),
            ["/devices/requests/new"] = Page(s_signedIn),
            ["/devices/requests/{id:guid}"] = Page(s_signedIn, [new("unknown request", "/devices/requests/" + UnknownRequest, "A", _ => false)]),

            // C15 the loan book (issue 14): every member of staff signs equipment out and in; the API is the API users'.
            ["/loans"] = Page(s_loanStaff),
            ["/loans/kiosk"] = Page(s_loanStaff),
            ["/loans/kiosk.js"] = Page(s_loanStaff),
            // The matrix world has no devices: a device the school does not have is not found, for those who may look.
            ["/loans/devices/{deviceId:guid}"] = Page(s_loanStaff, [new("unknown device", "/loans/devices/" + Guid.Empty.ToString(), "A", _ => false)]),
            ["/api/v1/loans/"] = Api(s_apiUsers, ForSchoolA("/api/v1/loans")),
            // The machine key may sign in any loan; the matrix world has none, so loan 1 is not found.
            ["/api/v1/loans/{id:long}/return"] = ApiWrite(s_apiUsers, "/api/v1/loans/1/return?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.NotFound),
            ["/custody"] = Page(s_staff),
            // Lost property (H15) and leavers (C19): keepers only; a found device or checklist nobody has is not found.
            ["/devices/found"] = Page(s_deviceKeepers),
            ["/devices/found/new"] = Page(s_deviceKeepers),
            ["/devices/found/{id:guid}"] = Page(s_deviceKeepers, [new("unknown device", "/devices/found/" + Guid.Empty, null, _ => false)]),
            ["/devices/leavers"] = Page(s_deviceKeepers),
            ["/devices/leavers/{id:guid}"] = Page(s_deviceKeepers, [new("unknown checklist", "/devices/leavers/" + Guid.Empty, null, _ => false)]),
            // Photo and media consent (F11, C14): a teacher sees their own class's children; another class's, or another school's, is not found.
            ["/consents"] = Page(s_consentReaders),
            ["/consents/check"] = Page(s_consentReaders),
            ["/consents/children/{id:guid}"] = Page(s_consentReaders, People("/consents/children/{id}", PersonVisible)),
            // The parent's emailed link, as the countersign link: an unknown token is gone, whoever asks.
            ["/consents/answer/{token}"] = new([new("unknown link", "/consents/answer/not-a-real-token")], (_, _) => Outcome.Gone),
            // F7: any member of staff reports their own device; keepers any device of the school.
            ["/devices/report-lost"] = Page(s_staff),
            ["/devices/{id:guid}/report-lost"] = Page(s_staff, [new("unknown device", "/devices/" + Guid.Empty + "/report-lost", null, _ => false)]),
            ["/network/guests"] = Page(s_guestIssuers),
            ["/custody/new"] = Page(s_staff),
            ["/custody/{id:guid}"] = Page(s_staff, RecordsReadBy("/custody/{id}", "custody", ReadBy(s_custodyReaders))),

            ["/filtering"] = Page(s_filterViewers),
            ["/filtering/test"] = Page(s_filterViewers),
            ["/filtering/lists"] = Page(s_filterViewers),
            ["/filtering/log"] = Page(s_filterViewers, [new("page", ""), new("csv", "/filtering/log?handler=csv")]),
            ["/filtering/trends"] = Page(s_filterViewers),
            ["/filtering/requests/{id:long?}"] = Page(s_requestDeciders, [new("list", "/filtering/requests"), .. Records("/filtering/requests/{id}", "filter-request")]),

            ["/monitoring"] = Page(s_safeguarding, [new("page", ""), new("csv", "/monitoring?handler=csv&status=all")]),
            ["/monitoring/permissions"] = Page(s_safeguarding),
            ["/monitoring/trends"] = Page(s_safeguarding),
            ["/monitoring/alerts/{id:long}"] = Page(s_safeguarding, Records("/monitoring/alerts/{id}", "alert")),
            // Issue 16 part 4: the school's own monitoring exceptions, for the monitoring viewers (the policy's default: DSL, deputy, head).
            ["/monitoring/alerts/{id:long}/exception"] = Page(s_safeguarding, Records("/monitoring/alerts/{id}/exception", "alert")),
            ["/monitoring/exceptions"] = Page(s_safeguarding),
            ["/monitoring/exceptions/{id:long}"] = Page(s_safeguarding, Records("/monitoring/exceptions/{id}", "monitoring-exception")),
            ["/monitoring/erase/{personId:guid}"] = Page(s_erasers, People("/monitoring/erase/{id}", (_, _) => true)),
            ["/monitoring/devices"] = Page(s_deviceManagers),

            // Issue 13, point 6: the Network page, its refused sign-ins, and disconnecting one of the school's sessions
            // (another school's session is not found, to look at or to post to).
            ["/network"] = Page(s_networkStaff),
            ["/network/rejects"] = Page(s_networkStaff),
            ["/network/sessions/{id:guid}/disconnect"] = Page(s_networkStaff, Records("/network/sessions/{id}/disconnect", "network-session")),

            // Issue 14, point 1: the device register is its keepers'; another school's device is not found, to look at, edit or post to.
            ["/devices"] = Page(s_deviceKeepers),
            ["/devices/new"] = Page(s_deviceKeepers),
            ["/devices/import"] = Page(s_deviceKeepers),
            ["/devices/labels"] = Page(s_deviceKeepers, [new("page", "/devices/labels"), new("other school's device", "/devices/labels?id=" + w.Id("B.device"))]),
            ["/devices/{id:guid}"] = Page(s_deviceKeepers, Records("/devices/{id}", "device")),
            ["/devices/{id:guid}/edit"] = Page(s_deviceKeepers, Records("/devices/{id}/edit", "device")),

            ["/reports"] = Page(s_reports),
            ["/reports/governors"] = Page(s_governorsReport),
            ["/reports/review"] = Page(s_reviewPacks),
            ["/reports/review/{id:guid}/{format:regex(^(html|pdf)$)}"] = Page(s_reviewPacks, Records("/reports/review/{id}/html", "review")),

            // A device request is asked and decided by a person: a machine key is refused; a cookie write without the antiforgery header is a 400.
            ["/api/v1/devices/requests/"] = new([new("list", "/api/v1/devices/requests/")], (p, _) =>
                p.IsMachine ? Outcome.Forbidden : p.IsAnonymous ? Outcome.Unauthorized : s_apiUsers.Contains(p.Role) ? Outcome.Ok : Outcome.Forbidden),
            ["/api/v1/devices/requests/{id:guid}"] = new([new("unknown", "/api/v1/devices/requests/" + UnknownRequest)], (p, _) =>
                p.IsMachine ? Outcome.Forbidden : p.IsAnonymous ? Outcome.Unauthorized : s_apiUsers.Contains(p.Role) ? Outcome.NotFound : Outcome.Forbidden),
            ["/api/v1/devices/requests/{id:guid}/approve"] = DeviceDecision("approve"),
            ["/api/v1/devices/requests/{id:guid}/refuse"] = DeviceDecision("refuse"),
            // An approver withdrawing an approval early: the same gate as a decision (a person, not a machine key).
            ["/api/v1/devices/requests/{id:guid}/withdraw"] = DeviceDecision("withdraw"),
            ["/api/v1/people/"] = Api(s_apiUsers, ForSchoolA("/api/v1/people/")),
            ["/api/v1/people/{id}"] = Api(s_apiUsers, Records("/api/v1/people/{id}", "person.pupil")),
            ["/api/v1/people/{id}/access"] = Api(s_apiUsers, Records("/api/v1/people/{id}/access", "person.pupil")),
            ["/api/v1/people/{id}/agreements"] = Api(s_apiUsers, Records("/api/v1/people/{id}/agreements", "person.pupil")),
            ["/api/v1/devices/"] = Api(s_apiUsers, ForSchoolA("/api/v1/devices/")),
            ["/api/v1/devices/{id}"] = Api(s_apiUsers, Records("/api/v1/devices/{id}", "device")),
            // Writes with no body: the API key's is malformed; a cookie without the antiforgery header is refused first.
            ["/api/v1/devices/{id}/state"] = ApiWrite(s_apiUsers, "/api/v1/devices/" + w.Id("A.device") + "/state?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.BadRequest),
            ["/api/v1/devices/{id}/attestations"] = ApiWrite(s_apiUsers, "/api/v1/devices/" + w.Id("A.device") + "/attestations?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.BadRequest),
            ["/api/v1/devices/import"] = ApiWrite(s_apiUsers, "/api/v1/devices/import?school=" + MatrixWorld.SchoolA, "text/csv", machine: Outcome.BadRequest),
            ["/api/v1/agreements/compliance"] = Api(s_apiUsers, ForSchoolA("/api/v1/agreements/compliance")),
            // F11, C14: a school website's publishing tool (the API key) or a whole-school session; the IT provider is an API user but reads no consent list.
            ["/api/v1/consents/"] = Api(s_consentApi, ForSchoolA("/api/v1/consents/?class=3%20Oak")),
            ["/api/v1/consents/check"] = Api(s_consentApi, ForSchoolA("/api/v1/consents/check?channel=website&children=" + w.Id("A.person.pupil"))),
            // Lost property (H15) and leavers (C19): the device keepers' pages, so the keepers' API; the API key names the school.
            // The matrix world has no found devices or checklists: a keeper (or the key) asking for one finds nothing.
            ["/api/v1/devices/found/"] = KeeperApi(ForSchoolA("/api/v1/devices/found/"), Outcome.Ok),
            ["/api/v1/devices/found/{id}"] = KeeperApi(ForSchoolA("/api/v1/devices/found/" + Guid.Empty), Outcome.NotFound),
            ["/api/v1/devices/leavers/"] = KeeperApi(ForSchoolA("/api/v1/devices/leavers/"), Outcome.Ok),
            ["/api/v1/devices/leavers/{id}"] = KeeperApi(ForSchoolA("/api/v1/devices/leavers/" + Guid.Empty), Outcome.NotFound),
            // Writes with an empty JSON body: the API key's is incomplete (400) or names nothing there is (404); a cookie without the antiforgery header is refused first.
            ["/api/v1/devices/found/{id}/custody"] = ApiWrite(s_apiUsers, "/api/v1/devices/found/" + Guid.Empty + "/custody?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.NotFound),
            ["/api/v1/devices/found/{id}/return"] = ApiWrite(s_apiUsers, "/api/v1/devices/found/" + Guid.Empty + "/return?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.NotFound),
            ["/api/v1/devices/found/{id}/dispose"] = ApiWrite(s_apiUsers, "/api/v1/devices/found/" + Guid.Empty + "/dispose?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.NotFound),
            ["/api/v1/devices/leavers/{id}/items/{itemId}/close"] = ApiWrite(s_apiUsers, "/api/v1/devices/leavers/" + Guid.Empty + "/items/1/close?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.NotFound),
            // F7: a keeper (or the key) may report any device, anyone else only their own; the key's empty body does not say lost or stolen.
            ["/api/v1/devices/{id}/report-lost"] = ApiWrite(s_apiUsers, "/api/v1/devices/" + w.Id("A.device") + "/report-lost?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.BadRequest),
            // Writes with a cookie need the antiforgery header (none is sent here): refused before any change.
            ["/api/v1/people/import"] = ApiWrite(s_apiUsers, "/api/v1/people/import?school=" + MatrixWorld.SchoolA, "text/csv", machine: Outcome.BadRequest),
            // Issue 15 part 4: a signature recorded by the school's system; the key's empty body names no signer (400).
            ["/api/v1/people/{id}/agreements/{agreementId}/signatures"] = ApiWrite(s_apiUsers, "/api/v1/people/" + w.Id("A.person.pupil") + "/agreements/pupils/signatures?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.BadRequest),
            ["/api/v1/agreements/chase"] = ApiWrite(s_apiUsers, "/api/v1/agreements/chase?school=" + MatrixWorld.SchoolA, null, machine: Outcome.Ok),
            ["/api/v1/vouchers/check"] = ApiWrite(s_apiUsers, "/api/v1/vouchers/check?school=" + MatrixWorld.SchoolA, "application/json", machine: Outcome.BadRequest),
            // Only a monitoring device's token opens these; a portal cookie or the API key is not one.
            ["/api/v1/monitoring/events"] = new([new("post", "/api/v1/monitoring/events")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/monitoring/notice"] = new([new("get", "/api/v1/monitoring/notice")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/monitoring/settings"] = new([new("get", "/api/v1/monitoring/settings")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/monitoring/screenshots"] = new([new("post", "/api/v1/monitoring/screenshots", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
            // The browser extension: enrolment takes the school's enrolment key in the body (none here: refused as malformed,
            // whoever asks); decisions need an extension token, which no cookie, API key or device token is.
            ["/api/v1/extension/enrol"] = new([new("post", "/api/v1/extension/enrol", ContentType: "application/json")], (_, _) => Outcome.BadRequest),
            ["/api/v1/decisions"] = new([new("post", "/api/v1/decisions", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
            // A browser with no signed-in account: any signed-in person confirms on the page; the exchange takes the
            // page's one-time code and the enrolment key in the body (none here: malformed, whoever asks).
            ["/extension/sign-in"] = Page(s_signedIn),
            ["/api/v1/extension/sign-in"] = new([new("post", "/api/v1/extension/sign-in", ContentType: "application/json")], (_, _) => Outcome.BadRequest),
            // Issue 12, points 5 and 6: the acknowledgement, "Tell a trusted adult" and the heartbeat take an extension token only.
            ["/api/v1/extension/acknowledgement"] = new([new("api", "/api/v1/extension/acknowledgement", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/extension/concern"] = new([new("post", "/api/v1/extension/concern", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/extension/heartbeat"] = new([new("post", "/api/v1/extension/heartbeat")], (_, _) => Outcome.Unauthorized),
            // Opened by Chrome after the extension is removed, with the token in the address: the same page for anyone, whatever the token.
            ["/extension/removed"] = Anonymous(),
            // FreeRADIUS's rlm_rest calls (issue 13): only a school's RADIUS machine key opens them, which no cookie, API key or token is.
            ["/api/v1/radius/authorize"] = new([new("post", "/api/v1/radius/authorize", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/radius/authenticate"] = new([new("post", "/api/v1/radius/authenticate", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/radius/post-auth"] = new([new("post", "/api/v1/radius/post-auth", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
            ["/api/v1/radius/accounting"] = new([new("post", "/api/v1/radius/accounting", ContentType: "application/json")], (_, _) => Outcome.Unauthorized),
        };
    }

    /// <summary>Open to everyone, signed in or not.</summary>
    private const string UnknownRequest = "0b7a1d6e-5a4e-4f37-9d0e-2f2a3c1b9e01";

    private static RouteRule DeviceDecision(string verb) => new([new("post", $"/api/v1/devices/requests/{UnknownRequest}/{verb}", ContentType: "application/json")], (p, _) =>
        p.IsMachine ? Outcome.Forbidden : p.IsAnonymous ? Outcome.Unauthorized : s_apiUsers.Contains(p.Role) ? Outcome.BadRequest : Outcome.Forbidden);

    private static RouteRule Anonymous() => new([new("page", "")], (_, _) => Outcome.Ok);

    /// <summary>A portal page for <paramref name="roles"/>; records of another school, or out of the caller's scope, are not found.</summary>
    private static RouteRule Page(string[] roles, IReadOnlyList<Sample>? samples = null) => new(samples ?? [new("page", "")], (p, s) =>
        p.IsAnonymous || p.IsMachine ? Outcome.Login
        : !roles.Contains(p.Role) ? Outcome.Forbidden
        : s.School is not null && s.School != p.School ? Outcome.NotFound
        : s.Sees is not null && !s.Sees(p) ? Outcome.NotFound
        : Outcome.Ok);

    /// <summary>An API read: the machine key sees the whole installation; a staff cookie only its own school.</summary>
    private static RouteRule Api(string[] roles, IReadOnlyList<Sample> samples) => new(samples, (p, s) =>
        p.IsMachine ? Outcome.Ok
        : p.IsAnonymous ? Outcome.Unauthorized
        : !roles.Contains(p.Role) ? Outcome.Forbidden
        : s.School is not null && s.School != p.School ? (s.Path.Contains("school=", StringComparison.Ordinal) ? Outcome.Forbidden : Outcome.NotFound)
        : Outcome.Ok);

    /// <summary>An API read for the device keepers only (H15, C19): other API users are refused, as on the portal's pages; a keeper who is not an API user (the bursar) has no API session.</summary>
    private static RouteRule KeeperApi(IReadOnlyList<Sample> samples, Outcome keeper) => new(samples, (p, s) =>
        p.IsMachine ? keeper
        : p.IsAnonymous ? Outcome.Unauthorized
        : !s_deviceKeepers.Contains(p.Role) || !s_apiUsers.Contains(p.Role) || (s.School is not null && s.School != p.School) ? Outcome.Forbidden
        : keeper);

    /// <summary>An API write posted with no body and no antiforgery header.</summary>
    private static RouteRule ApiWrite(string[] roles, string path, string? contentType, Outcome machine) => new([new("post", path, ContentType: contentType)], (p, _) =>
        p.IsMachine ? machine
        : p.IsAnonymous ? Outcome.Unauthorized
        : !roles.Contains(p.Role) ? Outcome.Forbidden
        : Outcome.BadRequest);
}
