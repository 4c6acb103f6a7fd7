using System.Globalization;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.WebFiltering;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.WebFiltering;

/// <summary>The filtering profiles per group: categories, safe search, YouTube, schedules in words, local entries and who uses each.</summary>
[Authorize(Roles = PortalRoles.FilteringViewerNames)]
public sealed class IndexModel(PortalScope scope, FilterService filters, TimeProvider time, Brightline.Data.BrightlineDbContext db, Brightline.Loans.LoanBook loans) : PageModel
{
    /// <summary>The devices at a glance (issue 17: the computing lead's home shows her devices), each count linking to its list.</summary>
    public IReadOnlyList<DeviceCount> Devices { get; private set; } = [];

    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Whether the requests page would open for this person (issue 17: no link to a page that refuses them).</summary>
    public bool MayDecideRequests => scope.HasAnyRole(PortalRoles.FilterRequestDeciders);

    public IReadOnlyList<ProfileView> Profiles { get; private set; } = [];

    public string? NoPolicy { get; private set; }

    public string? Fallback { get; private set; }

    public int ProblemCount { get; private set; }

    /// <summary>
    /// Requests waiting for a decision, for those who decide them: this page is the computing lead's home (issue 17,
    /// "a home page per role"), so what waits for her is the first thing on it.
    /// </summary>
    public int? WaitingRequests { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (MayDecideRequests)
        {
            var school = scope.RequiredSchoolId;
            WaitingRequests = await db.Set<Brightline.Data.Entities.FilterRequest>()
                .CountAsync(r => r.SchoolId == school && r.Status == Brightline.Data.Entities.FilterRequestState.Pending, cancellationToken);
        }

        Devices = await DeviceSummary.ForAsync(scope, db, loans, time, cancellationToken);
        SchoolFilter filter;
        try
        {
            filter = await filters.GetAsync(scope.RequiredSchoolId, cancellationToken);
        }
        catch (NotFoundException ex)
        {
            NoPolicy = ex.Message;
            return;
        }

        var policy = filter.Policy;
        var snapshot = filter.Engine.Current;
        var now = time.GetUtcNow();
        var zone = snapshot.Options.TimeZone;
        Fallback = policy.Filtering.FallbackGroup;
        ProblemCount = filter.Problems.Count;
        var views = new List<ProfileView>();
        foreach (var p in policy.Filtering.Profiles)
        {
            var group = policy.FindGroup(p.Group);
            var compiled = snapshot.Profiles.TryGetValue(p.Group, out var profile);
            var definition = profile?.Definition;
            var entries = new List<ProfileEntryView>();
            foreach (var (action, list) in new[] { ("Allow", p.Allow), ("Block", p.Deny) })
            {
                foreach (var e in list)
                {
                    var expired = e.Expires is { } last && FilterCompiler.EndOfDay(last, zone) <= now;
                    entries.Add(new ProfileEntryView(action, e.Entry, e.Reason, e.Expires is { } d ? UkFormat.Short(d) : null, expired, "Policy"));
                }
            }

            foreach (var o in filter.Overrides.Where(o => string.Equals(o.Profile, p.Group, StringComparison.Ordinal)))
            {
                var action = o.Action == Brightline.Data.Entities.FilterOverrideAction.Allow ? "Allow" : "Block";
                entries.Add(new ProfileEntryView(action, o.Entry, o.Reason, o.Expires is { } x ? UkFormat.ShortDateTime(x) : null,
                    o.Expires is { } until && until <= now, $"Approved by {o.CreatedBy}, {UkFormat.ShortDateTime(o.CreatedAt)}"));
            }

            var usedBy = new List<string> { $"Group: {group?.Name ?? p.Group}" };
            usedBy.AddRange(policy.Filtering.Networks.Where(n => string.Equals(n.Group, p.Group, StringComparison.Ordinal))
                .Select(n => $"Network: {n.Name} ({n.Cidr})"));
            if (string.Equals(policy.Filtering.FallbackGroup, p.Group, StringComparison.Ordinal))
            {
                usedBy.Add("Anyone in no group with a profile, and devices outside every network (the fallback)");
            }

            views.Add(new ProfileView(
                p.Group,
                group?.Name ?? p.Group,
                p.Rule,
                compiled,
                Names(definition?.BlockedCategories ?? FilterCompiler.Categories(p.Block ?? [])),
                Names(definition?.AllowedCategories ?? FilterCompiler.Categories(p.AllowCategories)),
                definition?.SafeSearch ?? p.SafeSearch,
                (definition?.YouTube ?? YouTubeMode.Strict) switch
                {
                    YouTubeMode.Off => "Not restricted",
                    YouTubeMode.Moderate => "Moderate restricted mode",
                    YouTubeMode.Strict => "Strict restricted mode",
                    _ => "Strict restricted mode",
                },
                p.Default switch
                {
                    FilterDefault.Allow => "Allow anything not blocked",
                    FilterDefault.Block => "Block anything not allowed",
                    _ => "Block anything not allowed",
                },
                p.Schedules.Select(Describe).ToList(),
                entries,
                usedBy));
        }

        Profiles = views;
    }

    private static IReadOnlyList<string> Names(CategorySet set) => set.Members.Select(c => Categories.Get(c).DisplayName).ToList();

    /// <summary>"Monday–Friday 08:45–15:15, school days only: Social networking, Webmail blocked".</summary>
    public static string Describe(FilterSchedulePolicy s)
    {
        var days = Days(s.Days);
        var times = s.Times.Count == 0 ? "all day" : string.Join(" and ", s.Times.Select(t => $"{t.From.ToString("HH:mm", s_uk)}–{t.To.ToString("HH:mm", s_uk)}"));
        var on = s.On switch
        {
            ScheduleDays.AnyDay => ", every day including holidays",
            ScheduleDays.SchoolDays => ", school days only",
            ScheduleDays.NonSchoolDays => ", days the school is closed only",
            _ => "",
        };
        var effects = new List<string>();
        if (s.BlockAll)
        {
            effects.Add("everything blocked");
        }

        if (s.Block.Count > 0)
        {
            effects.Add(Join(Names(FilterCompiler.Categories(s.Block))) + " blocked");
        }

        if (s.Unblock.Count > 0)
        {
            effects.Add(Join(Names(FilterCompiler.Categories(s.Unblock))) + " allowed");
        }

        return $"{days} {times}{on}: {(effects.Count == 0 ? "no change" : string.Join("; ", effects))} ({s.Name})";
    }

    private static string Join(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "nothing",
        1 => names[0].ToLower(s_uk),
        _ => string.Join(", ", names.Take(names.Count - 1)).ToLower(s_uk) + " and " + names[^1].ToLower(s_uk),
    };

    private static string Days(IReadOnlyList<DayOfWeek> days)
    {
        if (days.Count == 0 || days.Distinct().Count() == 7)
        {
            return "Every day";
        }

        // Monday-first order, so Monday–Friday reads as a range.
        var order = days.Distinct().Select(d => ((int)d + 6) % 7).Order().ToList();
        var contiguous = order.Count >= 3 && order[^1] - order[0] == order.Count - 1;
        var names = order.Select(i => s_uk.DateTimeFormat.GetDayName((DayOfWeek)((i + 1) % 7))).ToList();
        return contiguous ? $"{names[0]}–{names[^1]}" : string.Join(", ", names);
    }
}
