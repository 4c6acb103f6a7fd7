using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>devices:</c> section → <see cref="DevicesPolicy"/>. Runs only on a checked tree; a key not written keeps its default.</summary>
internal static class DevicesModelBuilder
{
    public static DevicesPolicy Build(YNode? node, IReadOnlyList<Group> groups, AcademicCalendar calendar)
    {
        var defaults = new DevicesPolicy();
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return defaults;
        }

        return new DevicesPolicy
        {
            Kinds = node.Get(DevicesPolicy.SectionKeys.Kinds) is { } kinds ? Strings(kinds) : defaults.Kinds,
            Requests = Items(node.Get(DevicesPolicy.SectionKeys.Requests)).Select(r => BuildRequest(r, groups)).ToList(),
            SchoolDevices = Items(node.Get(DevicesPolicy.SectionKeys.SchoolDevices))
                .Select(r => new DeviceSafetyRule(Strings(r.Get("kinds")), Strings(r.Get("attest")), Str(r.Get("requirement"))))
                .ToList(),
            Loans = node.Get(DevicesPolicy.SectionKeys.Loans) is { Kind: YNodeKind.Mapping } loans ? BuildLoans(loans) : LoanPolicy.Default,
            LostProperty = node.Get(DevicesPolicy.SectionKeys.LostProperty) is { Kind: YNodeKind.Mapping } lost ? BuildLostProperty(lost, calendar) : LostPropertyPolicy.Default,
            LostStolen = node.Get(DevicesPolicy.SectionKeys.LostOrStolen) is { Kind: YNodeKind.Mapping } stolen
                ? new LostStolenPolicy(
                    ListOr(stolen.Get("notify"), LostStolenPolicy.Default.Notify),
                    Str(stolen.Get("incident_category")) ?? LostStolenPolicy.Default.IncidentCategory,
                    Str(stolen.Get("requirement")))
                : LostStolenPolicy.Default,
            Leavers = node.Get(DevicesPolicy.SectionKeys.Leavers) is { Kind: YNodeKind.Mapping } leavers
                ? new LeaversPolicy(
                    Int(leavers.Get("long_absence_days")) ?? LeaversPolicy.Default.LongAbsenceDays,
                    ListOr(leavers.Get("notify"), LeaversPolicy.Default.Notify),
                    Str(leavers.Get("requirement")))
                : LeaversPolicy.Default,
            Stated = node.Pairs.Select(p => p.Key.Value).ToHashSet(StringComparer.Ordinal),
        };
    }

    private static IReadOnlyList<string> ListOr(YNode? node, IReadOnlyList<string> fallback) => node is null ? fallback : Strings(node);

    private static bool Bool(YNode? node, bool fallback) => Str(node) is { } s && bool.TryParse(s, out var b) ? b : fallback;

    private static DeviceRequestRule BuildRequest(YNode node, IReadOnlyList<Group> groups)
    {
        var ruleGroups = Strings(node.Get("groups"));
        // A pupil rarely has a portal account, so for pupil groups a parent or a teacher may ask for them too.
        var pupils = groups.Any(g => g.Kind == PersonKind.Pupil && ruleGroups.Contains(g.Id, StringComparer.Ordinal));
        IReadOnlyList<string> requesters = pupils
            ? [DeviceRequesterKeys.Self, DeviceRequesterKeys.Parent, DeviceRequesterKeys.Teacher]
            : [DeviceRequesterKeys.Self];
        var allowed = Bool(node.Get("allowed"), true);
        return new DeviceRequestRule(
            Kind: Str(node.Get("kind")) ?? DeviceRequestKindKeys.PersonalDevice,
            Groups: ruleGroups,
            Allowed: allowed,
            RefusalReason: allowed ? null : Str(node.Get("reason"))?.Trim(),
            Requesters: allowed ? ListOr(node.Get("requesters"), requesters) : [],
            Approvers: allowed ? Strings(node.Get("approvers")) : [],
            Attestations: Strings(node.Get("attest")),
            Duration: ApprovalsPolicy.ParseDuration(Str(node.Get("duration"))) ?? DeviceRequestRule.DefaultDuration,
            RenewWithin: ApprovalsPolicy.ParseDuration(Str(node.Get("renew_within"))) ?? DeviceRequestRule.DefaultRenewWithin,
            NetworkAccess: Bool(node.Get("network"), false),
            Forbidden: Strings(node.Get("forbidden")).Select(f => f.Trim()).ToList(),
            Requirement: Str(node.Get("requirement")))
        {
            Agreement = allowed && Str(node.Get("agreement"))?.Trim() is { Length: > 0 } agreement ? agreement : null,
        };
    }

    private static LoanPolicy BuildLoans(YNode node) => new(
        Time(node.Get("day_end")) ?? LoanPolicy.Default.DayEnd,
        ListOr(node.Get("overdue_notify"), LoanPolicy.Default.OverdueNotify),
        Bool(node.Get("return_to_suite"), LoanPolicy.Default.ReturnToSuite),
        Bool(node.Get("charge"), LoanPolicy.Default.Charge),
        Str(node.Get("requirement")));

    private static LostPropertyPolicy BuildLostProperty(YNode node, AcademicCalendar calendar)
    {
        var basis = LostPropertyPolicy.Default;
        int? holdTerms = null;
        var holdDays = basis.HoldDays;
        CalendarDuration? hold = null;
        if (CalendarDuration.TryParse(Str(node.Get("hold")), out var parsed, out _))
        {
            hold = parsed;
            // Days are the fallback for when the calendar's listed terms run out: the longest listed term (or half) per
            // unit held, so the hold stays about as long as the policy says (H15: "no longer than one term").
            var longest = calendar.Terms.Select(t => t.End.DayNumber - t.Start.DayNumber + 1).DefaultIfEmpty(basis.HoldDays).Max();
            switch (parsed.Unit)
            {
                case CalendarUnit.Terms:
                    holdTerms = parsed.Count;
                    holdDays = parsed.Count * longest;
                    break;
                case CalendarUnit.HalfTerms:
                    holdDays = parsed.Count * Math.Max(1, longest / 2);
                    break;
                case CalendarUnit.Weeks:
                    holdDays = parsed.Count * 7;
                    break;
                case CalendarUnit.Days:
                default:
                    holdDays = parsed.Count;
                    break;
            }
        }

        return new LostPropertyPolicy(
            Str(node.Get("custodian")) ?? basis.Custodian,
            holdTerms,
            holdDays,
            // The custodian is the one to remind unless the policy names others.
            ListOr(node.Get("remind"), Str(node.Get("custodian")) is { } custodian ? [custodian] : basis.Remind),
            Str(node.Get("requirement")))
        {
            Hold = hold,
        };
    }
}
