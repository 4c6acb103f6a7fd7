using System.Globalization;
using Brightline.Policy.Model;
using Brightline.Policy.Yaml;

namespace Brightline.Policy.Validation;

/// <summary>
/// Turns a validated YAML tree into the model. Runs only after the schema and semantic checks found
/// nothing, so it can assume the shape is right; it still falls back to defaults rather than throw.
/// </summary>
internal static class ModelBuilder
{
    public static SchoolPolicy Build(YNode root, string fileName)
    {
        var groups = Items(root.Get("groups")).Select(BuildGroup).ToList();
        var filtering = FilteringModelBuilder.Build(root.Get("filtering"));
        var school = BuildSchool(root.Get("school")!);
        var devices = DevicesModelBuilder.Build(root.Get("devices"), groups, school.Calendar);
        return new SchoolPolicy
        {
            Brightline = Int(root.Get("brightline")) ?? 1,
            School = school,
            Policy = BuildMetadata(root.Get("policy")!),
            Roles = BuildRoles(root.Get("roles")),
            Groups = groups,
            Attributes = GroupsAgreementsModelBuilder.Attributes(root.Get("attributes")),
            Rules = Items(root.Get("rules")).Select(BuildRule).ToList(),
            Sections = Items(root.Get("sections")).Select(BuildSection).ToList(),
            Agreements = Items(root.Get("agreements")).Select(BuildAgreement).ToList(),
            Filtering = filtering,
            Monitoring = MonitoringModelBuilder.Build(root.Get("monitoring")),
            Incidents = IncidentsModelBuilder.Build(root.Get("incidents")),
            Network = NetworkModelBuilder.Build(root.Get("network")),
            Devices = devices,
            Consents = ConsentsModelBuilder.Build(root.Get("consents"), groups),
            Passwords = PasswordsModelBuilder.Build(root.Get("passwords")),
            Sanctions = SanctionsModelBuilder.Build(root.Get("sanctions")),
            Approvals = ApprovalsModelBuilder.Build(root.Get("approvals"),
                staffGroup: groups.FirstOrDefault(g => g.Kind == PersonKind.Staff)?.Id,
                guestGroup: filtering.FallbackGroup ?? groups.FirstOrDefault(g => g.Kind == PersonKind.Visitor)?.Id,
                deviceRequests: devices.Requests.Any(r => r.Kind == DeviceRequestKindKeys.PersonalDevice)),
            SourcePath = fileName,
        };
    }

    internal static IEnumerable<YNode> Items(YNode? node) => node is { Kind: YNodeKind.Sequence } ? node.Items : [];

    internal static string? Str(YNode? node) => node is { Kind: YNodeKind.Scalar } && !node.IsNull ? node.Value : null;

    private static string Req(YNode node, string key) => Str(node.Get(key)) ?? "";

    internal static int? Int(YNode? node) =>
        Str(node) is { } s && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null;

    internal static DateOnly? Date(YNode? node) =>
        Str(node) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    internal static TimeOnly? Time(YNode? node) =>
        Str(node) is { } s && TimeOnly.TryParseExact(s, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    internal static List<string> Strings(YNode? node) => Items(node).Select(Str).OfType<string>().ToList();

    private static List<T> Enums<T>(YNode? node)
        where T : struct, Enum => Items(node).Select(n => PolicyNames.Parse<T>(Str(n) ?? "")).OfType<T>().ToList();

    internal static T Enum<T>(YNode? node, T fallback)
        where T : struct, Enum => Str(node) is { } s && PolicyNames.Parse<T>(s) is { } v ? v : fallback;

    private static School BuildSchool(YNode node)
    {
        var calendarNode = node.Get("calendar");
        var calendar = new AcademicCalendar();
        if (calendarNode is { Kind: YNodeKind.Mapping })
        {
            var month = calendar.YearStartMonth;
            var day = calendar.YearStartDay;
            if (Str(calendarNode.Get("academic_year_start")) is { Length: 5 } mmdd)
            {
                month = int.Parse(mmdd.AsSpan(0, 2), CultureInfo.InvariantCulture);
                day = int.Parse(mmdd.AsSpan(3, 2), CultureInfo.InvariantCulture);
            }

            calendar = calendar with
            {
                YearStartMonth = month,
                YearStartDay = day,
                DayStarts = Time(calendarNode.Get("day_starts")) ?? calendar.DayStarts,
                DayEnds = Time(calendarNode.Get("day_ends")) ?? calendar.DayEnds,
                Terms = Items(calendarNode.Get("terms")).Select(BuildTerm).ToList(),
            };
            calendar = CalendarModelBuilder.Build(calendarNode, calendar);
        }

        return new School
        {
            Id = Req(node, "id"),
            Name = Req(node, "name"),
            Urn = Str(node.Get("urn")),
            LocalAuthority = Str(node.Get("local_authority")),
            Address = Str(node.Get("address"))?.TrimEnd(),
            Website = Str(node.Get("website")),
            Email = Str(node.Get("email")),
            Phone = Str(node.Get("phone")),
            Trust = Str(node.Get("trust")),
            Calendar = calendar,
        };
    }

    private static Term BuildTerm(YNode node)
    {
        var half = node.Get("half_term");
        return new Term
        {
            Name = Req(node, "name"),
            Start = Date(node.Get("start")) ?? default,
            End = Date(node.Get("end")) ?? default,
            HalfTerm = half is { Kind: YNodeKind.Mapping } && Date(half.Get("start")) is { } s && Date(half.Get("end")) is { } e ? new DateRange(s, e) : null,
        };
    }

    private static PolicyMetadata BuildMetadata(YNode node) => new()
    {
        Title = Req(node, "title"),
        Version = Req(node, "version"),
        Owner = Req(node, "owner"),
        Approver = Req(node, "approver"),
        Approved = Date(node.Get("approved")),
        Adopted = Date(node.Get("adopted")),
        LastReviewed = Date(node.Get("last_reviewed")),
        ReviewEveryMonths = Int(node.Get("review_every_months")) ?? 12,
        NextReview = Date(node.Get("next_review")) ?? default,
        RelatedPolicies = Strings(node.Get("related_policies")),
        Implements = Strings(node.Get("implements")),
    };

    private static Roles BuildRoles(YNode? node)
    {
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return new Roles();
        }

        return new Roles
        {
            Dsl = Items(node.Get(RoleKeys.Dsl)).Select(BuildHolder).ToList(),
            DeputyDsl = Items(node.Get(RoleKeys.DeputyDsl)).Select(BuildHolder).ToList(),
            Head = Holder(node.Get(RoleKeys.Head)),
            ComputingLead = Holder(node.Get(RoleKeys.ComputingLead)),
            BusinessManager = Holder(node.Get(RoleKeys.BusinessManager)),
            ItProvider = Holder(node.Get(RoleKeys.ItProvider)),
            ChairOfGovernors = Holder(node.Get(RoleKeys.ChairOfGovernors)),
            Bursar = Holder(node.Get(RoleKeys.Bursar)),
            HeadOfYear = Items(node.Get(RoleKeys.HeadOfYear)).Select(BuildHolder).ToList(),
            SeniorLeadership = Items(node.Get(RoleKeys.SeniorLeadership)).Select(BuildHolder).ToList(),
            ItSupport = Items(node.Get(RoleKeys.ItSupport)).Select(BuildHolder).ToList(),
        };
    }

    private static RoleHolder? Holder(YNode? node) => node is { Kind: YNodeKind.Mapping } ? BuildHolder(node) : null;

    private static RoleHolder BuildHolder(YNode node) => new()
    {
        Name = Req(node, "name"),
        Email = Str(node.Get("email")),
        Phone = Str(node.Get("phone")),
        Title = Str(node.Get("title")),
        Organisation = Str(node.Get("organisation")),
    };

    private static Group BuildGroup(YNode node) => new()
    {
        Id = Req(node, "id"),
        Name = Req(node, "name"),
        Kind = Enum(node.Get("kind"), PersonKind.Pupil),
        Phase = Enum(node.Get("phase"), Phase.None),
        YearGroups = Strings(node.Get("year_groups")),
        Description = Str(node.Get("description")),
        Where = GroupsAgreementsModelBuilder.Where(node.Get("where")),
    };

    private static Rule BuildRule(YNode node)
    {
        var wording = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.Get("wording") is { Kind: YNodeKind.Mapping } map)
        {
            foreach (var (key, value) in map.Pairs)
            {
                if (Str(value) is { } text)
                {
                    wording[key.Value] = text.Trim();
                }
            }
        }

        return new Rule
        {
            Id = Req(node, "id"),
            Kind = Enum(node.Get("kind"), RuleKind.Other),
            Audiences = Strings(node.Get("audiences")),
            Text = Req(node, "text").Trim(),
            Wording = wording,
            Requirements = Strings(node.Get("requirements")),
            Heading = Str(node.Get("heading")),
            Sanctions = Strings(node.Get("sanctions")),
        };
    }

    private static PolicySection BuildSection(YNode node) => new()
    {
        Id = Req(node, "id"),
        Title = Req(node, "title"),
        Body = Str(node.Get("body")) ?? "",
        Rules = Strings(node.Get("rules")),
    };

    private static Agreement BuildAgreement(YNode node)
    {
        var defaults = new Agreement { Id = "", Title = "", Audience = [], Affirmation = "" };
        var ack = node.Get("acknowledgement");
        return new Agreement
        {
            Id = Req(node, "id"),
            Title = Req(node, "title"),
            Audience = Strings(node.Get("audience")),
            Signers = Enum(node.Get("signers"), defaults.Signers),
            Fields = node.Get("fields") is { Kind: YNodeKind.Sequence } ? Enums<SignatureField>(node.Get("fields")) : defaults.Fields,
            Renewal = Enum(node.Get("renewal"), defaults.Renewal),
            JoinerDeadlineDays = Int(node.Get("joiner_deadline_days")) ?? defaults.JoinerDeadlineDays,
            RenewalDeadlineDays = Int(node.Get("renewal_deadline_days")) ?? defaults.RenewalDeadlineDays,
            Withholds = Enums<AccessKind>(node.Get("withholds")),
            Intro = Str(node.Get("intro"))?.Trim() ?? "",
            Rules = Strings(node.Get("rules")),
            Affirmation = Req(node, "affirmation").Trim(),
            ParentAffirmation = Str(node.Get("parent_affirmation"))?.Trim(),
            Acknowledgement = ack is { Kind: YNodeKind.Mapping }
                ? new Acknowledgement { Every = Enum(ack.Get("every"), AcknowledgementFrequency.SignIn), Text = Req(ack, "text").Trim() }
                : null,
            Appendix = Str(node.Get("appendix")),
            Requirements = Strings(node.Get("requirements")),
            Questions = GroupsAgreementsModelBuilder.Questions(node.Get("questions")),
            ParentSignsFor = Strings(node.Get("parent_signs_for")),
        };
    }
}
