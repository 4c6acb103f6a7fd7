using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Loans;
using Brightline.Portal;
using Brightline.Safeguarding;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.WebFiltering;

/// <summary>
/// The devices at a glance on the computing lead's home (issue 17: "the computing lead sees unblock requests, filter
/// health and devices"): the register by state, the monitoring devices reporting or silent, the loans out and overdue.
/// Each part only for those whose role opens the list it links to, and each counted in the caller's school.
/// </summary>
public static class DeviceSummary
{
    /// <summary>A monitoring device not heard from for this long is called silent: a school day's gap is worth a look.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromHours(24);

    /// <summary>States the register shows, in the order a keeper thinks of them; disposed and withdrawn devices are history.</summary>
    private static readonly (DeviceState State, string Label, bool Attention)[] s_states =
    [
        (DeviceState.InUse, "in use", false), (DeviceState.OnLoan, "on loan", false), (DeviceState.InRepair, "in repair", false),
        (DeviceState.Lost, "lost", true), (DeviceState.Stolen, "stolen", true), (DeviceState.InCustody, "held by the school", false),
        (DeviceState.Found, "found, not yet handed in", true),
    ];

    public static async Task<IReadOnlyList<DeviceCount>> ForAsync(PortalScope scope, BrightlineDbContext db, LoanBook loans, TimeProvider time, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var counts = new List<DeviceCount>();
        if (scope.HasAnyRole(PortalRoles.DeviceKeepers))
        {
            var byState = await db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == school)
                .GroupBy(d => d.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            var registered = byState.Where(s => s.Key is not (DeviceState.Disposed or DeviceState.Withdrawn)).Sum(s => s.Count);
            counts.Add(new DeviceCount(registered == 1 ? "device in the register" : "devices in the register", registered, "/devices", false));
            foreach (var (state, label, attention) in s_states)
            {
                var n = byState.Where(s => s.Key == state).Sum(s => s.Count);
                if (n > 0)
                {
                    counts.Add(new DeviceCount(label, n, "/devices?state=" + state.Key(), attention));
                }
            }
        }

        if (scope.HasAnyRole(SafeguardingModule.DeviceManagers))
        {
            var since = StoredTime.Now(time) - SilentAfter;
            var active = db.Set<MonitoringDevice>().AsNoTracking().Where(d => d.SchoolId == school && d.RevokedAt == null);
            var reporting = await active.CountAsync(d => d.LastSeenAt != null && d.LastSeenAt >= since, cancellationToken);
            var silent = await active.CountAsync(d => d.LastSeenAt == null || d.LastSeenAt < since, cancellationToken);
            counts.Add(new DeviceCount("monitoring " + (reporting == 1 ? "device" : "devices") + " reporting in the last 24 hours", reporting, "/monitoring/devices", false));
            counts.Add(new DeviceCount("monitoring " + (silent == 1 ? "device" : "devices") + " silent for 24 hours or more (or never heard from)", silent, "/monitoring/devices", silent > 0));
        }

        if (scope.HasAnyRole(PortalRoles.LoanStaff))
        {
            var loanCounts = await loans.CountsAsync(school, cancellationToken);
            counts.Add(new DeviceCount(loanCounts.Out == 1 ? "loan out now" : "loans out now", loanCounts.Out, "/loans?status=" + LoanFilters.Out, false));
            counts.Add(new DeviceCount(loanCounts.Overdue == 1 ? "loan overdue" : "loans overdue", loanCounts.Overdue, "/loans?status=" + LoanFilters.Overdue, loanCounts.Overdue > 0));
        }

        return counts;
    }
}
