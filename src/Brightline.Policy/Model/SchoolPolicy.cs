namespace Brightline.Policy.Model;

/// <summary>
/// One school's acceptable-use policy, as loaded from its YAML file. Every rule, group and agreement
/// carries a stable ID so that agreements, filter profiles, incidents and reports can cite it.
/// Every section has a typed model, built only after the file passed every check, so the host reads
/// settings and never YAML.
/// </summary>
public sealed record SchoolPolicy
{
    /// <summary>Format version of the file (currently 1).</summary>
    public int Brightline { get; init; } = 1;
    public required School School { get; init; }
    public required PolicyMetadata Policy { get; init; }
    public Roles Roles { get; init; } = new();
    public IReadOnlyList<Group> Groups { get; init; } = [];
    /// <summary>Extra columns the people import keeps as person attributes (house, boarding, SEN …), for <see cref="Group.Where"/> (issue 15 part 4).</summary>
    public IReadOnlyList<PersonAttribute> Attributes { get; init; } = [];
    public IReadOnlyList<Rule> Rules { get; init; } = [];
    /// <summary>The written policy's prose, in order; rendered as the policy document.</summary>
    public IReadOnlyList<PolicySection> Sections { get; init; } = [];
    public IReadOnlyList<Agreement> Agreements { get; init; } = [];
    /// <summary>Web filtering (issue 3); empty when the policy has no <c>filtering:</c> section.</summary>
    public FilteringPolicy Filtering { get; init; } = new();
    /// <summary>Safeguarding monitoring: alert thresholds, routing, who sees captures, retention, the weekly digest.</summary>
    public MonitoringPolicy Monitoring { get; init; } = new();
    /// <summary>The incident registers: who records, who is told, who reads, retention; serious breaches; the 72-hour clock.</summary>
    public IncidentsPolicy Incidents { get; init; } = new();
    /// <summary>The approval types the portal offers, with the built-in defaults filled in.</summary>
    public ApprovalsPolicy Approvals { get; init; } = new();
    /// <summary>Who may join the school's networks through FreeRADIUS, and on which VLAN (issue 13; docs/network.md).</summary>
    public NetworkPolicy Network { get; init; } = new();
    /// <summary>The device register's rules: requests, school-device safety, loans, lost property, leavers (issue 14; docs/devices.md).</summary>
    public DevicesPolicy Devices { get; init; } = new();
    /// <summary>Photo and media consent questions and publication rules (F11, C14; docs/consents.md).</summary>
    public ConsentsPolicy Consents { get; init; } = new();
    /// <summary>Password rules per group for portal accounts (issue 15; F3, C16, H13); empty = the built-in rule.</summary>
    public PasswordsPolicy Passwords { get; init; } = new();
    /// <summary>Sanction lengths and the letter to parents (issue 15 part 6; docs/sanctions.md); empty = no lengths, parents never emailed.</summary>
    public SanctionsPolicy Sanctions { get; init; } = new();
    /// <summary>The path the policy was loaded from, for messages.</summary>
    public string? SourcePath { get; init; }

    public Group? FindGroup(string id) => Groups.FirstOrDefault(g => string.Equals(g.Id, id, StringComparison.Ordinal));
    public Rule? FindRule(string id) => Rules.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));
    public Agreement? FindAgreement(string id) => Agreements.FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal));
}

public sealed record School
{
    /// <summary>A short slug, unique in the installation (e.g. "st-clements").</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Department for Education unique reference number, if any.</summary>
    public string? Urn { get; init; }
    public string? LocalAuthority { get; init; }
    public string? Address { get; init; }
    public string? Website { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Trust { get; init; }
    public required AcademicCalendar Calendar { get; init; }
}

/// <summary>
/// The school's calendar (issue 15): terms and half terms, INSET days, closures and the region's bank holidays. Which
/// dates are school days, and how long "a term" is, are answered in AcademicCalendar.Days.cs.
/// </summary>
public sealed partial record AcademicCalendar
{
    /// <summary>Month (1–12) on whose first-listed day the academic year starts; usually September.</summary>
    public int YearStartMonth { get; init; } = 9;
    public int YearStartDay { get; init; } = 1;
    public IReadOnlyList<Term> Terms { get; init; } = [];
    /// <summary>School-day hours, for schedules such as "personal use only outside contact time" (O7).</summary>
    public TimeOnly DayStarts { get; init; } = new(8, 45);
    public TimeOnly DayEnds { get; init; } = new(15, 30);
    /// <summary>Staff training days: weekdays in term on which pupils are not in school (not school days).</summary>
    public IReadOnlyList<DateOnly> InsetDays { get; init; } = [];
    /// <summary>One-off closures chosen by the school (a coronation, a polling day, snow): not school days.</summary>
    public IReadOnlyList<CalendarClosure> Closures { get; init; } = [];
    /// <summary>Whose statutory bank holidays are not school days; England and Wales when the policy does not say.</summary>
    public BankHolidayRegion BankHolidays { get; init; } = BankHolidayRegion.EnglandAndWales;
    /// <summary>True when the policy has no <c>bank_holidays:</c> key and <see cref="BankHolidays"/> is the default.</summary>
    public bool BankHolidaysDefaulted { get; init; } = true;
    /// <summary>The iCalendar or CSV file the terms and holidays were imported from, if any (as written in the policy).</summary>
    public string? File { get; init; }

    /// <summary>The first day of the academic year that contains <paramref name="date"/>.</summary>
    public DateOnly AcademicYearStart(DateOnly date)
    {
        var startThisYear = new DateOnly(date.Year, YearStartMonth, Math.Min(YearStartDay, DateTime.DaysInMonth(date.Year, YearStartMonth)));
        if (date >= startThisYear)
        {
            return startThisYear;
        }

        var prev = date.Year - 1;
        return new DateOnly(prev, YearStartMonth, Math.Min(YearStartDay, DateTime.DaysInMonth(prev, YearStartMonth)));
    }

    /// <summary>Label such as "2025/26" for the academic year containing <paramref name="date"/>.</summary>
    public string AcademicYearLabel(DateOnly date)
    {
        var start = AcademicYearStart(date);
        return $"{start.Year}/{(start.Year + 1) % 100:00}";
    }

    public Term? TermContaining(DateOnly date) => Terms.FirstOrDefault(t => t.Start <= date && date <= t.End);
}

/// <summary>A named closure of one or more days (inclusive).</summary>
public sealed record CalendarClosure(string Name, DateOnly Start, DateOnly End);

public sealed record Term
{
    public required string Name { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public DateRange? HalfTerm { get; init; }
}

public sealed record DateRange(DateOnly Start, DateOnly End);

public sealed record PolicyMetadata
{
    public required string Title { get; init; }
    /// <summary>Version label chosen by the school, e.g. "2025.2"; a new version asks people to re-sign only where text changed.</summary>
    public required string Version { get; init; }
    /// <summary>Role key or person name responsible for the policy (W12: the Head).</summary>
    public required string Owner { get; init; }
    /// <summary>Who approves it, e.g. "Governing board" (O23) or "Headteacher" (C22).</summary>
    public required string Approver { get; init; }
    public DateOnly? Approved { get; init; }
    public DateOnly? Adopted { get; init; }
    public DateOnly? LastReviewed { get; init; }
    /// <summary>Review cadence in months (12 = yearly, 24 = every two years — O23).</summary>
    public int ReviewEveryMonths { get; init; } = 12;
    public required DateOnly NextReview { get; init; }
    /// <summary>Other school policies this one should be read with (rendered as a list).</summary>
    public IReadOnlyList<string> RelatedPolicies { get; init; } = [];
    /// <summary>Requirement IDs (W1, O13 …) this file implements, for traceability.</summary>
    public IReadOnlyList<string> Implements { get; init; } = [];
}

/// <summary>The named people who hold the policy's roles (W10, F1).</summary>
public sealed record Roles
{
    public IReadOnlyList<RoleHolder> Dsl { get; init; } = [];
    public IReadOnlyList<RoleHolder> DeputyDsl { get; init; } = [];
    public RoleHolder? Head { get; init; }
    public RoleHolder? ComputingLead { get; init; }
    public RoleHolder? BusinessManager { get; init; }
    public RoleHolder? ItProvider { get; init; }
    public RoleHolder? ChairOfGovernors { get; init; }
    public RoleHolder? Bursar { get; init; }
    /// <summary>Heads of Year (issue 15 part 8; H8: pupils report concerns to their Head of Year).</summary>
    public IReadOnlyList<RoleHolder> HeadOfYear { get; init; } = [];
    /// <summary>The senior leadership team (SLT; H8 "a member of the Leadership Team", F-seed "approved by SLT").</summary>
    public IReadOnlyList<RoleHolder> SeniorLeadership { get; init; } = [];
    /// <summary>The school's own IT support (a technician or in-house team), as distinct from the external <see cref="ItProvider"/>.</summary>
    public IReadOnlyList<RoleHolder> ItSupport { get; init; } = [];

    /// <summary>Every role holder with the policy's role key (dsl, deputy_dsl, head …).</summary>
    public IEnumerable<(string Role, RoleHolder Holder)> All()
    {
        foreach (var h in Dsl) { yield return (RoleKeys.Dsl, h); }
        foreach (var h in DeputyDsl) { yield return (RoleKeys.DeputyDsl, h); }
        if (Head is not null) { yield return (RoleKeys.Head, Head); }
        if (ComputingLead is not null) { yield return (RoleKeys.ComputingLead, ComputingLead); }
        if (BusinessManager is not null) { yield return (RoleKeys.BusinessManager, BusinessManager); }
        if (ItProvider is not null) { yield return (RoleKeys.ItProvider, ItProvider); }
        if (ChairOfGovernors is not null) { yield return (RoleKeys.ChairOfGovernors, ChairOfGovernors); }
        if (Bursar is not null) { yield return (RoleKeys.Bursar, Bursar); }
        foreach (var h in HeadOfYear) { yield return (RoleKeys.HeadOfYear, h); }
        foreach (var h in SeniorLeadership) { yield return (RoleKeys.SeniorLeadership, h); }
        foreach (var h in ItSupport) { yield return (RoleKeys.ItSupport, h); }
    }
}

public static class RoleKeys
{
    public const string Dsl = "dsl";
    public const string DeputyDsl = "deputy_dsl";
    public const string Head = "head";
    public const string ComputingLead = "computing_lead";
    public const string BusinessManager = "business_manager";
    public const string ItProvider = "it_provider";
    public const string ChairOfGovernors = "chair_of_governors";
    public const string Bursar = "bursar";
    public const string HeadOfYear = "head_of_year";
    public const string SeniorLeadership = "senior_leadership";
    public const string ItSupport = "it_support";

    /// <summary>Every key of the <c>roles:</c> section: the roles whose holders can be emailed (people, accounts and named holders).</summary>
    public static readonly IReadOnlyList<string> All =
        [Dsl, DeputyDsl, Head, ComputingLead, BusinessManager, ItProvider, ChairOfGovernors, Bursar, HeadOfYear, SeniorLeadership, ItSupport];
}

/// <summary>
/// The portal's role names, which the policy names in access lists (who records, reads, asks, approves). The roles
/// the <c>roles:</c> section also names take their key from <see cref="RoleKeys"/>, so a policy holder and a portal
/// member of the same role match. Declared here, once, because the host's portal reads these and the checks must
/// know them.
/// </summary>
public static class PortalRoleKeys
{
    public const string Admin = "admin";
    public const string Teacher = "teacher";
    public const string Staff = "staff";
    public const string Parent = "parent";
    public const string Pupil = "pupil";

    public static readonly IReadOnlyList<string> All =
        [Admin, RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head, RoleKeys.ComputingLead, RoleKeys.BusinessManager, RoleKeys.ItProvider,
            RoleKeys.HeadOfYear, RoleKeys.SeniorLeadership, RoleKeys.ItSupport, RoleKeys.Bursar, Teacher, Staff, Parent, Pupil];

    /// <summary>Adults who work at the school; <c>staff</c> in an incident register's <c>record</c> list means all of them.</summary>
    public static readonly IReadOnlyList<string> StaffRoles =
        [Admin, RoleKeys.Dsl, RoleKeys.DeputyDsl, RoleKeys.Head, RoleKeys.ComputingLead, RoleKeys.BusinessManager, RoleKeys.ItProvider,
            RoleKeys.HeadOfYear, RoleKeys.SeniorLeadership, RoleKeys.ItSupport, RoleKeys.Bursar, Teacher, Staff];
}

public sealed record RoleHolder
{
    public required string Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    /// <summary>Job title as printed on the policy, e.g. "ICT Coordinator".</summary>
    public string? Title { get; init; }
    public string? Organisation { get; init; }
}

/// <summary>The kinds of people a school has; a person may be of several kinds (a teacher who is also a parent).</summary>
public enum PersonKind
{
    Pupil,
    Parent,
    Staff,
    Governor,
    Volunteer,
    Contractor,
    Student,
    Supply,
    Visitor,
}

public enum Phase
{
    None,
    Nursery,
    Eyfs,
    Ks1,
    Ks2,
    Ks3,
    Ks4,
    Sixth,
}

/// <summary>
/// A group of people the policy treats alike. Membership is derived from the person: their kind and,
/// for pupils, their year group ("R", "1" … "6"). A person belongs to every group that matches.
/// </summary>
public sealed record Group
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required PersonKind Kind { get; init; }
    public Phase Phase { get; init; } = Phase.None;
    /// <summary>For pupil groups: the year groups it contains ("N", "R", "1" … "13"). Empty = every pupil.</summary>
    public IReadOnlyList<string> YearGroups { get; init; } = [];
    public string? Description { get; init; }
    /// <summary>
    /// Imported attributes a member must also have (issue 15 part 4): attribute ID → accepted values, e.g. house → [Red].
    /// Empty = no condition. A person matches when, for every entry, their value is one of the accepted ones.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Where { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public bool Matches(PersonKind kind, string? yearGroup) => Matches(kind, yearGroup, attributes: null);

    public bool Matches(PersonKind kind, string? yearGroup, IReadOnlyDictionary<string, string>? attributes)
    {
        if (kind != Kind)
        {
            return false;
        }

        foreach (var (attribute, accepted) in Where)
        {
            if (attributes is null || !attributes.TryGetValue(attribute, out var value) || !accepted.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        if (YearGroups.Count == 0)
        {
            return true;
        }

        return yearGroup is not null && YearGroups.Contains(yearGroup, StringComparer.OrdinalIgnoreCase);
    }
}

public enum RuleKind
{
    Content,
    Activity,
    Conduct,
    Device,
    Access,
    Data,
    Communication,
    Monitoring,
    Reporting,
    Sanction,
    Password,
    Other,
}

/// <summary>A rule with a stable ID, cited by agreements, block pages and incidents (W4, O2, H11).</summary>
public sealed record Rule
{
    public required string Id { get; init; }
    public required RuleKind Kind { get; init; }
    /// <summary>Group IDs the rule applies to; empty = everyone.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];
    /// <summary>The rule as the written policy states it.</summary>
    public required string Text { get; init; }
    /// <summary>Age-appropriate wording per group ID (e.g. ks1: "I only use the internet when a grown-up is with me").</summary>
    public IReadOnlyDictionary<string, string> Wording { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Requirement IDs this rule implements (W4, C7 …).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];
    /// <summary>Heading under which the written policy lists the rule (e.g. "Prohibited content").</summary>
    public string? Heading { get; init; }
    /// <summary>For a sanction rule: the sanction kinds the portal may impose under it (withdraw_internet, suspend_account …).</summary>
    public IReadOnlyList<string> Sanctions { get; init; } = [];

    public bool AppliesTo(IReadOnlyCollection<string> groupIds) =>
        Audiences.Count == 0 || Audiences.Any(a => groupIds.Contains(a));

    /// <summary>The wording a member of <paramref name="groupId"/> reads.</summary>
    public string TextFor(string groupId) => Wording.TryGetValue(groupId, out var w) ? w : Text;
}

public sealed record PolicySection
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>Markdown.</summary>
    public string Body { get; init; } = "";
    /// <summary>Rule IDs listed at the end of the section.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
}

/// <summary>Who must sign an agreement for a person (W6, O13).</summary>
public enum Signers
{
    /// <summary>The person themselves.</summary>
    Self,
    /// <summary>A parent on the person's behalf (younger pupils — H2).</summary>
    Parent,
    /// <summary>The person and a parent (W6, O13 Years 3–4).</summary>
    Both,
}

public enum Renewal
{
    /// <summary>Signed again at the start of each academic year (C9).</summary>
    AcademicYear,
    /// <summary>Signed again only when the agreement's text changes.</summary>
    OnChange,
    /// <summary>Signed once, ever.</summary>
    Once,
}

public enum AccessKind
{
    Login,
    Network,
    Internet,
}

public enum SignatureField
{
    FullName,
    JobTitle,
    Class,
    Date,
    TeacherPresent,
    Organisation,
    /// <summary>The child the signer is a parent of (O13: Omnicom's parent form asks "Name of child").</summary>
    ChildName,
}

public enum AcknowledgementFrequency
{
    SignIn,
    Day,
    Week,
}

/// <summary>A short acknowledgement asked again at every sign-in, day or week (H13, C8).</summary>
public sealed record Acknowledgement
{
    public required AcknowledgementFrequency Every { get; init; }
    public required string Text { get; init; }
}

public sealed record Agreement
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>Group IDs who must sign it.</summary>
    public required IReadOnlyList<string> Audience { get; init; }
    public Signers Signers { get; init; } = Signers.Self;
    /// <summary>Fields the signer fills in (F15: full name and job title).</summary>
    public IReadOnlyList<SignatureField> Fields { get; init; } = [SignatureField.FullName, SignatureField.Date];
    public Renewal Renewal { get; init; } = Renewal.AcademicYear;
    /// <summary>Days a joiner has to sign from their start date (induction — C9).</summary>
    public int JoinerDeadlineDays { get; init; } = 14;
    /// <summary>Days into the academic year by which a yearly renewal must be signed.</summary>
    public int RenewalDeadlineDays { get; init; } = 21;
    /// <summary>What is withheld until it is signed (H2, C1, C8).</summary>
    public IReadOnlyList<AccessKind> Withholds { get; init; } = [];
    /// <summary>Markdown shown above the rules.</summary>
    public string Intro { get; init; } = "";
    /// <summary>Rule IDs in the agreement, in order; empty = every rule that applies to the audience.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
    /// <summary>The statement the signer affirms ("I have read and understood …").</summary>
    public required string Affirmation { get; init; }
    /// <summary>The statement a parent affirms when countersigning.</summary>
    public string? ParentAffirmation { get; init; }
    public Acknowledgement? Acknowledgement { get; init; }
    /// <summary>Seed appendix this agreement reproduces (e.g. "Appendix 1").</summary>
    public string? Appendix { get; init; }
    public IReadOnlyList<string> Requirements { get; init; } = [];
    /// <summary>Questions answered when signing (issue 15 part 4); the answers are kept with the signature.</summary>
    public IReadOnlyList<AgreementQuestion> Questions { get; init; } = [];
    /// <summary>
    /// Pupil groups whose members do not sign themselves: a parent signs on their behalf instead (W6: "sign, and/or
    /// have a parent/guardian sign on their behalf" — Wetherby's EYFS children). Empty = nobody.
    /// </summary>
    public IReadOnlyList<string> ParentSignsFor { get; init; } = [];
}
