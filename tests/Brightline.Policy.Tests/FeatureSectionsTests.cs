using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// The <c>monitoring:</c>, <c>incidents:</c> and <c>approvals:</c> sections are typed and checked with positions like
/// the rest of the policy (issue 11), and the old shape of <c>passwords:</c> is an error at its key (issue 15 built the section).
/// </summary>
public sealed class FeatureSectionsTests
{
    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    /// <summary>The line of <paramref name="text"/> in the section added to the valid policy (not in the policy above it).</summary>
    private static int LineOf(string yaml, string text)
    {
        var sectionStart = PolicyLoaderTests.Valid.Split('\n').Length;
        return yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.i >= sectionStart && x.l.Contains(text, StringComparison.Ordinal)).i + 1;
    }

    private static int ColumnOf(string yaml, string text) =>
        yaml.Split('\n')[LineOf(yaml, text) - 1].IndexOf(text, StringComparison.Ordinal) + 1;

    private static string At(string yaml, string text) => $"test.yaml:{LineOf(yaml, text)}:{ColumnOf(yaml, text)}: ";

    [Fact]
    public void Load_WithoutSections_GivesTheDocumentedDefaults()
    {
        var policy = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml");

        policy.Monitoring.RetentionDays.ShouldBe(45, "O9");
        policy.Monitoring.Digest.Day.ShouldBe(DayOfWeek.Friday);
        policy.Monitoring.Digest.Time.ShouldBe(new TimeOnly(16, 0));
        policy.Monitoring.Notice.ShouldBeNull("the host quotes the monitoring rule");
        policy.Incidents.Kinds.Select(k => k.Key).ShouldBe(IncidentKindKeys.All);
        policy.Incidents.BreachDeadlineHours.ShouldBe(72, "O6, F4");
        policy.Incidents.Find("staff_violation")!.HideFromSubject.ShouldBeTrue();
        // The staff group makes the built-in official_capacity type; there is no visitor group or fallback for guest Wi-Fi.
        policy.Approvals.Types.Select(t => t.Id).ShouldBe(["exemption", "official_capacity", "class_unblock", "unrestricted", "email_inspection", "personal_device"]);
        policy.Approvals.Find("official_capacity")!.Group.ShouldBe("staff");
    }

    [Fact]
    public void Load_MonitoringSection_ReadsEveryKey()
    {
        var policy = PolicyLoader.LoadValid(With("""
            monitoring:
              notice: "  This computer is monitored.  "
              thresholds: { low: 5, medium: 50, high: 100, critical: 300 }
              alerts: { group_minutes: 5, immediate: [dsl] }
              escalation: { after_minutes: 10, roles: [dsl, head] }
              viewers: [dsl, head]
              retention_days: 30
              digest: { day: monday, time: "08:30", roles: [head] }
              excluded_sites: [payroll.example.org, Kooth.com.]
            """), "test.yaml");

        var m = policy.Monitoring;
        m.Notice.ShouldBe("This computer is monitored.");
        (m.Thresholds.Low, m.Thresholds.Medium, m.Thresholds.High, m.Thresholds.Critical).ShouldBe((5, 50, 100, 300));
        (m.GroupMinutes, m.EscalateAfterMinutes, m.RetentionDays).ShouldBe((5, 10, 30));
        m.Immediate.ShouldBe(["dsl"]);
        m.Escalation.ShouldBe(["dsl", "head"]);
        m.Viewers.ShouldBe(["dsl", "head"]);
        (m.Digest.Day, m.Digest.Time).ShouldBe((DayOfWeek.Monday, new TimeOnly(8, 30)));
        m.Digest.Roles.ShouldBe(["head"]);
        m.ExcludedSites.ShouldBe(["payroll.example.org", "kooth.com"]);

        // escalation: may also be just the ranked list (docs/monitoring.md).
        PolicyLoader.LoadValid(With("monitoring:\n  escalation: [head, dsl]\n"), "test.yaml").Monitoring.Escalation.ShouldBe(["head", "dsl"]);
    }

    /// <summary>monitoring.tamper (issue 12, point 6): the browser extension's silence limit and who is told; documented defaults.</summary>
    [Fact]
    public void Load_MonitoringTamper_ReadsItsKeys_AndDefaultsToTwentyMinutesForItAndTheDsl()
    {
        var defaults = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml").Monitoring.Tamper;
        defaults.SilentMinutes.ShouldBe(20);
        defaults.Notify.ShouldBe(["it_provider", "computing_lead", "dsl"]);

        var tamper = PolicyLoader.LoadValid(With("monitoring:\n  tamper: { silent_minutes: 45, notify: [dsl, head] }\n"), "test.yaml").Monitoring.Tamper;
        tamper.SilentMinutes.ShouldBe(45);
        tamper.Notify.ShouldBe(["dsl", "head"]);
    }

    [Theory]
    [InlineData("monitoring:\n  tamper: { silent_minutes: 5 }\n", "5", "'silent_minutes' must be at least 10, not 5")]
    [InlineData("monitoring:\n  tamper: { silent_minute: 30 }\n", "silent_minute", "unknown key 'silent_minute' in monitoring.tamper; did you mean 'silent_minutes'?")]
    [InlineData("monitoring:\n  tamper:\n    notify: [it_provder]\n", "it_provder", "did you mean 'it_provider'?")]
    [InlineData("monitoring:\n  tampr: { silent_minutes: 30 }\n", "tampr", "unknown key 'tampr' in monitoring; did you mean 'tamper'?")]
    public void Load_BadMonitoringTamper_IsAnErrorAtItsPosition(string section, string at, string message)
    {
        var yaml = With(section);

        var error = Errors(yaml).ShouldHaveSingleItem();
        error.ShouldStartWith(At(yaml, at));
        error.ShouldContain(message);
    }

    [Fact]
    public void Load_RetentionDaysInWords_IsAnErrorAtItsPosition_NotTheDefault()
    {
        var yaml = With("monitoring:\n  retention_days: forty-five\n");

        Errors(yaml).ShouldBe([At(yaml, "forty-five") + "'retention_days' must be a whole number, not a string (\"forty-five\")"]);
    }

    [Fact]
    public void Load_DigestDayMisspelt_IsAnErrorWithDidYouMean()
    {
        var yaml = With("monitoring:\n  digest:\n    day: fryday\n");

        Errors(yaml).ShouldHaveSingleItem().ShouldBe(
            At(yaml, "fryday") + "'day' must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday, not 'fryday'; did you mean 'friday'?");
    }

    [Theory]
    [InlineData("monitoring:\n  retention_day: 30\n", "retention_day", "unknown key 'retention_day' in monitoring; did you mean 'retention_days'?")]
    [InlineData("monitoring:\n  digest:\n    hour: 4\n", "hour", "unknown key 'hour' in monitoring.digest")]
    [InlineData("incidents:\n  colour: blue\n", "colour", "unknown key 'colour' in incidents")]
    [InlineData("incidents:\n  kinds:\n    security:\n      notfy: [head]\n", "notfy", "unknown key 'notfy' in incidents.kinds.security; did you mean 'notify'?")]
    [InlineData("incidents:\n  kinds:\n    gossip: { read: [head] }\n", "gossip", "unknown key 'gossip' in incidents.kinds")]
    [InlineData("incidents:\n  kinds:\n    safegarding: { read: [head] }\n", "safegarding", "unknown key 'safegarding' in incidents.kinds; did you mean 'safeguarding'?")]
    [InlineData("approvals:\n  colour: blue\n", "colour", "unknown key 'colour' in approvals")]
    [InlineData("approvals:\n  types:\n    exemption:\n      max_duraton: 4h\n", "max_duraton", "unknown key 'max_duraton' in approvals.types.exemption; did you mean 'max_duration'?")]
    public void Load_UnknownKeyInASection_IsAnErrorAtTheKey(string section, string key, string message)
    {
        var yaml = With(section);

        Errors(yaml).ShouldBe([At(yaml, key) + message]);
    }

    [Fact]
    public void Load_PasswordsSection_IsReadNow_AndItsOldShapeIsAnErrorAtTheKey()
    {
        // Issue 15 built the password rules: the section is no longer refused as "not supported yet"; its keys are checked.
        var yaml = With("passwords:\n  staff: { min_length: 8 }\n");

        Errors(yaml).ShouldContain(At(yaml, "staff") + "unknown key 'staff' in passwords");
    }

    [Theory]
    [InlineData("monitoring:\n  alerts:\n    immediate: [dls]\n", "dls", "monitoring.alerts.immediate[1] must be one of", "did you mean 'dsl'?")]
    [InlineData("monitoring:\n  viewers: [dsl, parent]\n", "parent", "monitoring.viewers[2] must be one of admin, dsl, deputy_dsl, head, computing_lead, business_manager, it_provider, head_of_year, senior_leadership, it_support, bursar, teacher, staff, not 'parent'", null)]
    [InlineData("monitoring:\n  thresholds: { low: 50, medium: 40 }\n", "40", "monitoring thresholds: 'medium' (40) must be higher than 'low' (50)", null)]
    [InlineData("monitoring:\n  thresholds: { high: 300 }\n", "300", "monitoring thresholds: 'critical' (240, the default) must be higher than 'high' (300)", null)]
    [InlineData("monitoring:\n  digest: { time: \"4pm\" }\n", "\"4pm\"", "'time' has an invalid value '4pm'", null)]
    [InlineData("monitoring:\n  alerts: { group_minutes: 0 }\n", "0", "'group_minutes' must be at least 1, not 0", null)]
    [InlineData("monitoring:\n  excluded_sites: [\"https://kooth.com/chat\"]\n", "\"https", "monitoring.excluded_sites[1] 'https://kooth.com/chat' must be a host name only", "did you mean 'kooth.com'?")]
    [InlineData("monitoring:\n  excluded_sites: [\"*.payroll.example.org\"]\n", "\"*", "must be a host name only (no scheme, port, path or wildcard; subdomains are included)", "did you mean 'payroll.example.org'?")]
    [InlineData("monitoring:\n  excluded_sites: [payroll]\n", "payroll", "monitoring.excluded_sites[1] 'payroll' is not a host name such as 'payroll.example.org'", null)]
    [InlineData("monitoring:\n  excluded_sites: [kooth.com, www.x.org, KOOTH.com]\n", "KOOTH", "monitoring.excluded_sites[3] 'KOOTH.com' is listed twice", null)]
    [InlineData("monitoring:\n  excluded_sites: payroll.example.org\n", "payroll", "'excluded_sites' must be", null)]
    [InlineData("incidents:\n  kinds:\n    safeguarding:\n      notify: [dsl, safeguarding_team]\n", "safeguarding_team", "incidents.kinds.safeguarding.notify[2] must be one of dsl, deputy_dsl, head, computing_lead, business_manager, it_provider, chair_of_governors, bursar, head_of_year, senior_leadership, it_support, not 'safeguarding_team'", null)]
    [InlineData("incidents:\n  kinds:\n    security:\n      read: [haed]\n", "haed", "not 'haed'", "did you mean 'head'?")]
    [InlineData("incidents:\n  kinds:\n    security:\n      retention_days: forever\n", "forever", "incidents kind 'security' 'retention_days' must be a whole number of days or 'keep', not 'forever'", null)]
    [InlineData("incidents:\n  kinds:\n    security:\n      retention_days: kep\n", "kep", "not 'kep'", "did you mean 'keep'?")]
    [InlineData("incidents:\n  kinds:\n    security:\n      notify: []\n", "[]", "'notify' must have at least 1 entry", null)]
    [InlineData("incidents:\n  serious:\n    count: 0\n", "0", "'count' must be at least 1, not 0", null)]
    [InlineData("incidents:\n  data_breach:\n    chase_hours: [48, 80]\n", "80", "incidents data_breach 'chase_hours': a reminder at 80 hours is not before the 72-hour deadline", null)]
    [InlineData("incidents:\n  line_reports:\n    head: [deputy_dls]\n", "deputy_dls", "not 'deputy_dls'", "did you mean 'deputy_dsl'?")]
    public void Load_BadValueInASection_IsAnErrorAtTheValue(string section, string at, string message, string? hint)
    {
        var yaml = With(section);

        var error = Errors(yaml).ShouldHaveSingleItem();
        error.ShouldStartWith(At(yaml, at));
        error.ShouldContain(message);
        if (hint is not null)
        {
            error.ShouldEndWith(hint);
        }
    }

    [Fact]
    public void Load_IncidentsSection_ChangesOnlyTheKeysGiven()
    {
        var policy = PolicyLoader.LoadValid(With("""
            incidents:
              kinds:
                staff_violation: { label: ICT violations register, notify: [head], read: [head, admin] }
                security: { retention_days: 30 }
                safeguarding: { retention_days: keep }
              serious: { count: 2, days: 14, notify: [dsl] }
              data_breach: { deadline_hours: 48, chase_hours: [40, 24] }
              line_reports: { head: [deputy_dsl] }
            """), "test.yaml");

        var i = policy.Incidents;
        var staff = i.Find("staff_violation")!;
        (staff.Label, staff.HideFromSubject).ShouldBe(("ICT violations register", true));
        staff.Read.ShouldBe(["head", "admin"]);
        staff.Record.ShouldBe(["staff"], "not given, so the default");
        i.Find("security")!.RetentionDays.ShouldBe(30);
        i.Find("safeguarding")!.RetentionDays.ShouldBeNull();
        (i.PersistentCount, i.PersistentDays, i.BreachDeadlineHours).ShouldBe((2, 14, 48));
        i.SeriousNotify.ShouldBe(["dsl"]);
        i.BreachChaseHours.ShouldBe([24, 40]);
        i.LineReports["head"].ShouldBe(["deputy_dsl"]);
    }

    [Fact]
    public void Load_ApprovalsSection_ChangesAddsAndRemovesTypes()
    {
        var policy = PolicyLoader.LoadValid(With("""
            approvals:
              types:
                class_unblock:
                  max_duration: 3h
                  default_duration: 90m
                  requesters: [teacher, computing_lead]
                unrestricted:
                  max_duration: 20m
                personal_device:
                  enabled: false
                exemption:
                  agreement:
                visit_wifi:
                  kind: guest_wifi
                  title: Wi-Fi for a visiting speaker
                  group: staff
                  max_duration: 1d
                  max_vouchers: 3
                  reason_required: false
            """), "test.yaml");

        var a = policy.Approvals;
        a.Find("personal_device").ShouldBeNull();
        var unblock = a.Find("class_unblock")!;
        (unblock.MaxDuration, unblock.DefaultDuration).ShouldBe((TimeSpan.FromHours(3), TimeSpan.FromMinutes(90)));
        unblock.Requesters.ShouldBe(["teacher", "computing_lead"]);
        a.Find("unrestricted")!.DefaultDuration.ShouldBe(TimeSpan.FromMinutes(20), "a shorter maximum shortens the built-in default");
        a.Find("exemption")!.Agreement.ShouldBeNull("agreement: with no text removes it");
        var wifi = a.Find("visit_wifi")!;
        (wifi.Kind, wifi.Title, wifi.Group, wifi.MaxVouchers, wifi.ReasonRequired).ShouldBe(("guest_wifi", "Wi-Fi for a visiting speaker", "staff", 3, false));
        wifi.Approvers.ShouldBe(["head"], "the kind's default");
        a.Types[^1].Id.ShouldBe("visit_wifi");
    }

    [Theory]
    [InlineData("    trip_wifi:\n      requesters: [teacher]\n", "trip_wifi", "approval type 'trip_wifi' needs 'kind', because it is not a built-in type")]
    [InlineData("    Trip:\n      kind: guest_wifi\n", "Trip", "approval type ID 'Trip' must be lower-case letters, digits and underscores")]
    [InlineData("    exemption:\n      approvers: []\n", "[]", "approval type 'exemption': an exemption approval needs at least one approver")]
    [InlineData("    guest_wifi:\n      approvers: [headteacher]\n      group: staff\n", "headteacher", "not 'headteacher'")]
    [InlineData("    guest_wifi:\n      group: staff\n      max_duration: 3 weeks\n", "3 weeks", "'max_duration' has an invalid value '3 weeks' (A whole number with m, h or d: 90m, 4h, 30d.)")]
    [InlineData("    exemption:\n      max_duration: 0d\n", "0d", "approval type 'exemption' duration '0d' must be longer than zero")]
    [InlineData("    exemption:\n      default_duration: 100d\n", "100d", "approval type 'exemption' 'default_duration' (100d) is longer than its 'max_duration'")]
    [InlineData("    exemption:\n      group: staff\n", "group", "approval type 'exemption' is an exemption approval, which acts through no group")]
    [InlineData("    exemption:\n      max_vouchers: 3\n", "max_vouchers", "only guest_wifi types read 'max_vouchers'")]
    [InlineData("    official_capacity:\n      group: staf\n", "staf", "approval type 'official_capacity' refers to group 'staf', which is not defined; did you mean 'staff'?")]
    [InlineData("    guest_wifi:\n      approvers: [head]\n", "guest_wifi:", "approval type 'guest_wifi' needs 'group'")]
    [InlineData("    personal_device:\n      enabled: false\n      approvers: [head]\n", "approvers", "approval type 'personal_device' is disabled (enabled: false), so nothing reads its 'approvers'")]
    [InlineData("    trip_wifi:\n      enabled: false\n", "false", "approval type 'trip_wifi' is not a built-in type, so 'enabled: false' has nothing to remove")]
    [InlineData("    exemption:\n      kind: exemptoin\n", "exemptoin", "did you mean 'exemption'?")]
    public void Load_BadApprovalType_IsAnErrorAtItsPosition(string type, string at, string message)
    {
        var yaml = With("approvals:\n  types:\n" + type);

        var error = Errors(yaml).ShouldHaveSingleItem();
        error.ShouldStartWith(At(yaml, at));
        error.ShouldContain(message);
    }
}
