using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.BrowserExtension;

/// <summary>
/// Tamper evidence for Brightline for Chrome (issue 12, point 6). The extension beats every
/// <see cref="HeartbeatMinutes"/> minutes; the server keeps each enrolled browser's last beat. A browser that was in
/// use today and then stays silent for longer than the policy's <c>monitoring.tamper.silent_minutes</c> inside school
/// hours raises one alert (a beat ends the silence, and the next silence may alert again); a browser that reports the
/// extension removed (its uninstall address) raises one at once. Both are monitoring alerts in the DSL's queue
/// (category <see cref="Category"/>), emailed to <c>monitoring.tamper.notify</c> (IT and the DSL by default) with a
/// link only, as every alert email is.
/// </summary>
public sealed class TamperAlerts(BrightlineDbContext db, PolicyStore policies, EmailSender email, AuditLog audit, TimeProvider time, PortalLinks links)
{
    /// <summary>The alert category of both kinds of tamper alert.</summary>
    public const string Category = "tamper";

    /// <summary>How often the extension beats (chrome.alarms; clients/chrome/src/heartbeat.js).</summary>
    public const int HeartbeatMinutes = 5;

    public const string SilentPhrase = "browser extension silent";
    public const string RemovedPhrase = "browser extension removed";

    /// <summary>The email's subject; the email names no one and nothing, as every alert email.</summary>
    public const string Subject = "Brightline for Chrome may have been tampered with";

    /// <summary>Records a beat; it ends any silence, so the next one alerts afresh.</summary>
    public async Task HeartbeatAsync(Guid tokenId, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        await db.Set<ExtensionToken>().Where(t => t.Id == tokenId)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastHeartbeatAt, now).SetProperty(t => t.SilenceAlertedAt, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>
    /// The browser opened the extension's uninstall address: the extension has been removed. Alerts at once, and
    /// retires the token (and its monitoring device), so the address, once used, does nothing more. False when the
    /// token is unknown or already retired.
    /// </summary>
    public async Task<bool> RemovedAsync(string? token, string? clientAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return false;
        }

        var hash = SecretTokens.Hash(token.Trim());
        var row = await db.Set<ExtensionToken>().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (row is null || !SecretTokens.SameHash(hash, row.TokenHash) || row.RevokedAt is not null)
        {
            return false;
        }

        var now = StoredTime.Now(time);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        row.RemovedAt = now;
        row.RevokedAt = now;
        row.RevokedBy = "brightline: the extension was removed";
        var device = await db.Set<MonitoringDevice>().FirstOrDefaultAsync(d => d.Id == row.Id, cancellationToken);
        if (device is not null)
        {
            device.RevokedAt ??= now;
            device.RevokedBy ??= row.RevokedBy;
        }

        await db.SaveChangesAsync(cancellationToken);
        var policy = await policies.ActiveAsync(row.SchoolId, cancellationToken);
        await RaiseAsync(row, policy, RemovedPhrase,
            $"Brightline for Chrome was removed from {row.DeviceName} at {UkFormat.DateTime(now)}. Filtering and monitoring have stopped on that browser.",
            cancellationToken);
        await audit.AppendAsync(row.SchoolId, "brightline", BrowserExtensionAuditActions.Removed, $"extension-token:{row.Id}", row.DeviceName, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// One pass: alerts each browser silent for too long in school hours that has not been alerted for this silence.
    /// Only browsers that have beaten at least once are watched (an older extension never beats), and only a silence
    /// that began today counts: a browser nobody has opened today is not being tampered with. Returns the alerts raised.
    /// </summary>
    public async Task<int> CheckSilenceAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        // The shortest limit the schema allows: nothing beating since then can be silent for too long yet.
        var quietSince = now - TimeSpan.FromMinutes(10);
        var candidates = await db.Set<ExtensionToken>().AsNoTracking()
            .Where(t => t.RevokedAt == null && t.SilenceAlertedAt == null && t.LastHeartbeatAt != null && t.LastHeartbeatAt < quietSince)
            .Select(t => new { t.Id, t.SchoolId })
            .Take(10_000)
            .ToListAsync(cancellationToken);
        var raised = 0;
        foreach (var school in candidates.GroupBy(c => c.SchoolId, StringComparer.Ordinal))
        {
            var policy = await policies.ActiveAsync(school.Key, cancellationToken);
            if (SchoolHours.Around(policy, now) is not { } hours)
            {
                continue;
            }

            var limit = TimeSpan.FromMinutes(policy.Monitoring.Tamper.SilentMinutes);
            var today = SchoolClock.DateOf(now);
            foreach (var candidate in school)
            {
                var row = await db.Set<ExtensionToken>().FirstOrDefaultAsync(t => t.Id == candidate.Id, cancellationToken);
                if (row is not { RevokedAt: null, SilenceAlertedAt: null, LastHeartbeatAt: { } last } || SchoolClock.DateOf(last) != today)
                {
                    continue;
                }

                // Silence before school hours began (a laptop opened at 8:00, shut until 8:45) is not counted.
                var from = last > hours.Start ? last : hours.Start;
                if (now - from <= limit)
                {
                    continue;
                }

                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                // The condition is written again in SQL so that two nodes (or two passes) alert a silence once.
                var claimed = await db.Set<ExtensionToken>()
                    .Where(t => t.Id == row.Id && t.SilenceAlertedAt == null && t.LastHeartbeatAt == last)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.SilenceAlertedAt, now), cancellationToken);
                if (claimed == 0)
                {
                    continue;
                }

                await RaiseAsync(row, policy, SilentPhrase,
                    $"Brightline for Chrome on {row.DeviceName} has not been heard from since {UkFormat.DateTime(last)}, during school hours "
                    + $"(the policy's limit is {policy.Monitoring.Tamper.SilentMinutes} minutes). The extension may have been switched off, or the device taken off the school's network.",
                    cancellationToken);
                await tx.CommitAsync(cancellationToken);
                db.ChangeTracker.Clear();
                raised++;
            }
        }

        return raised;
    }

    /// <summary>
    /// The alert, in the monitoring queue like any other: an event (already scanned, so the scoring leaves it alone)
    /// carries what happened, and the alert points at it. The roles in <c>monitoring.tamper.notify</c> are emailed a link.
    /// </summary>
    private async Task RaiseAsync(ExtensionToken row, SchoolPolicy policy, string phrase, string what, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var evt = new MonitoringEvent
        {
            SchoolId = row.SchoolId,
            DeviceId = row.Id,
            ClientEventId = $"brightline-tamper:{phrase}:{now.UtcTicks}",
            Kind = MonitoringEventKind.Application,
            OccurredAt = now,
            ReceivedAt = now,
            PersonId = row.PersonId,
            Application = "Brightline for Chrome",
            Text = what,
            ScannedAt = now,
        };
        db.Set<MonitoringEvent>().Add(evt);
        await db.SaveChangesAsync(cancellationToken);
        var alert = new MonitoringAlert
        {
            SchoolId = row.SchoolId,
            PersonId = row.PersonId,
            DeviceId = row.Id,
            Category = Category,
            Severity = "high",
            SeverityRank = 2,
            Status = MonitoringAlertStatus.Open,
            Score = 0,
            HitCount = 1,
            FirstAt = now,
            LastAt = now,
            CreatedAt = now,
            Phrase = phrase,
            Context = what,
            HighlightStart = 0,
            HighlightLength = 0,
            Source = "text",
            EventId = evt.Id,
        };
        db.Set<MonitoringAlert>().Add(alert);
        await db.SaveChangesAsync(cancellationToken);

        var baseUrl = links.BaseUrl();
        var body = "Brightline for Chrome has reported that it may have been tampered with on one of the school's browsers.\n\n"
            + $"Safeguarding staff: please sign in to Brightline to review the alert:\n{baseUrl}/monitoring/alerts/{alert.Id}\n\n"
            + $"IT: the school's enrolled browsers are on the Devices page:\n{baseUrl}/monitoring/devices\n\n"
            + "This email deliberately contains no details.\n";
        var told = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in policy.Monitoring.Tamper.Notify)
        {
            foreach (var (to, personId) in await RoleHolders.EmailsAsync(db, policies, row.SchoolId, role, cancellationToken))
            {
                if (!told.Add(to))
                {
                    continue;
                }

                email.Enqueue(row.SchoolId, to, Subject, body, "extension-tamper", personId);
                db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
                {
                    SchoolId = row.SchoolId, AlertId = alert.Id, At = now, Kind = AlertEntryKind.Notified, Actor = "brightline", Recipient = to, Role = role, Note = "tamper",
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
