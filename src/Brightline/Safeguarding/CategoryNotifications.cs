using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// Per-category routing (policy <c>monitoring.categories.&lt;id&gt;.notify</c>; H12: security misuse to IT support):
/// every open alert of a routed category is emailed once to the roles named, whatever its severity. Recorded as
/// <see cref="AlertEntryKind.CategoryNotified"/>, never <see cref="AlertEntryKind.Notified"/>, so the DSL's critical
/// email and escalation (which skip alerts already Notified) still happen for the same alert.
/// </summary>
public sealed class CategoryNotifications(BrightlineDbContext db, PolicyStore policies, EmailSender email, TimeProvider time, PortalLinks links)
{
    /// <summary>Alerts emailed per pass, so one pass stays short; the rest go on the next.</summary>
    private const int BatchSize = 100;

    /// <summary>
    /// Emails every open alert of a routed category that has not been sent to its category's roles yet. Asked of the
    /// database (not remembered by the scoring pass), so an alert committed just before a crash is still sent after it.
    /// Returns how many alerts were handled.
    /// </summary>
    public async Task<int> NotifyPendingAsync(CancellationToken cancellationToken)
    {
        var entries = db.Set<MonitoringAlertEntry>();
        // (school, category) pairs with an alert not yet handled: few rows, whatever the number of alerts.
        var pairs = await db.Set<MonitoringAlert>().AsNoTracking()
            .Where(a => a.Status == MonitoringAlertStatus.Open && !entries.Any(x => x.AlertId == a.Id && x.Kind == AlertEntryKind.CategoryNotified))
            .Select(a => new { a.SchoolId, a.Category }).Distinct().ToListAsync(cancellationToken);
        var handled = 0;
        foreach (var school in pairs.GroupBy(p => p.SchoolId, StringComparer.Ordinal))
        {
            var policy = await policies.ActiveAsync(school.Key, cancellationToken);
            foreach (var category in school.Select(p => p.Category))
            {
                if (policy.Monitoring.RouteFor(category) is not { Notify.Count: > 0 } route || handled >= BatchSize)
                {
                    continue;
                }

                var schoolId = school.Key;
                var alerts = await db.Set<MonitoringAlert>()
                    .Where(a => a.SchoolId == schoolId && a.Category == category && a.Status == MonitoringAlertStatus.Open
                        && !entries.Any(x => x.AlertId == a.Id && x.Kind == AlertEntryKind.CategoryNotified))
                    .OrderBy(a => a.Id).Take(BatchSize - handled).ToListAsync(cancellationToken);
                foreach (var alert in alerts)
                {
                    await NotifyAsync(alert, policy.School.Name, route.Notify, cancellationToken);
                    handled++;
                }
            }
        }

        return handled;
    }

    private async Task NotifyAsync(MonitoringAlert alert, string schoolName, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var told = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles)
        {
            foreach (var (to, personId) in await Brightline.People.RoleHolders.EmailsAsync(db, policies, alert.SchoolId, role, cancellationToken))
            {
                if (!told.Add(to))
                {
                    continue;
                }

                email.Enqueue(alert.SchoolId, to, $"{schoolName}: a monitoring alert for you to review", Body(alert, schoolName), "monitoring-alert-category", personId);
                db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
                {
                    SchoolId = alert.SchoolId, AlertId = alert.Id, At = now, Kind = AlertEntryKind.CategoryNotified, Actor = "brightline",
                    Recipient = to, Role = role, Note = "category",
                });
            }
        }

        if (told.Count == 0)
        {
            // Nobody holds the role yet (the dashboard warns of that, RoleCoverage): recorded, so the alert is not
            // retried every pass and later emailed to someone given the role long after it mattered.
            db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
            {
                SchoolId = alert.SchoolId, AlertId = alert.Id, At = now, Kind = AlertEntryKind.CategoryNotified, Actor = "brightline",
                Role = Truncate(string.Join(", ", roles), 64), Note = "nobody holds the role",
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>
    /// Like the DSL's critical email: which school, a link, and nothing captured — no text, phrase, category or name,
    /// because email is not a safe place for it and the recipient can read it all, audited, behind the link.
    /// </summary>
    private string Body(MonitoringAlert alert, string schoolName) =>
        $"{schoolName} has a monitoring alert that its acceptable use policy asks you to review.\n\n"
        + $"Please sign in to Brightline to review it:\n{links.BaseUrl()}/monitoring/alerts/{alert.Id}\n\n"
        + "This email deliberately contains no details of what was captured.\n";
}
