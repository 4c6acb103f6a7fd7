using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Agreements;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>
/// C10's weekly digest: on the policy's day and time (UK), an email to each holder of the digest roles
/// with only a summary line and a portal link in the body, and the week's flagged wording and searches
/// as an attached PDF (Chromium print-to-PDF; the HTML report when Chromium is unavailable). Each week
/// is recorded once sent, so a restart never sends it again; each send is audited with counts.
/// </summary>
public sealed class WeeklyDigest(
    BrightlineDbContext db,
    PolicyStore policies,
    EmailSender email,
    AlertProcessor alerts,
    Audit.AuditLog audit,
    TimeProvider time,
    PortalLinks links,
    Brightline.Kernel.PdfPrinter printer)
{
    public const string AuditAction = "monitoring-digest-sent";

    /// <summary>A digest whose time passed longer ago than this is not sent late (e.g. after a long outage or on first start).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    private static readonly SemaphoreSlim s_lock = new(1, 1);
    private static readonly TimeZoneInfo s_london = FindLondon();
    private static readonly CultureInfo s_culture = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Sends every school's digest that is due and not yet sent. Returns the number of digests sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await s_lock.WaitAsync(cancellationToken);
        try
        {
            var now = StoredTime.Now(time);
            // Schools that use monitoring: they have a device.
            var schools = await db.Set<MonitoringDevice>().AsNoTracking().Select(d => d.SchoolId).Distinct().ToListAsync(cancellationToken);
            var sent = 0;
            foreach (var school in schools.Order(StringComparer.Ordinal))
            {
                var settings = MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken));
                var due = LastOccurrence(now, settings.DigestDay, settings.DigestTime);
                if (now - due > Grace
                    || await db.Set<MonitoringDigest>().AnyAsync(d => d.SchoolId == school && d.PeriodEnd == due, cancellationToken))
                {
                    continue;
                }

                await SendAsync(school, settings, due - TimeSpan.FromDays(7), due, cancellationToken);
                sent++;
            }

            return sent;
        }
        finally
        {
            s_lock.Release();
        }
    }

    /// <summary>The latest scheduled moment (UTC) at or before <paramref name="now"/>, the schedule being in UK local time.</summary>
    public static DateTimeOffset LastOccurrence(DateTimeOffset now, DayOfWeek day, TimeOnly at)
    {
        var local = TimeZoneInfo.ConvertTime(now, s_london);
        var date = DateOnly.FromDateTime(local.DateTime);
        var back = ((int)date.DayOfWeek - (int)day + 7) % 7;
        for (var i = 0; i < 3; i++)
        {
            var candidateLocal = date.AddDays(-back - (7 * i)).ToDateTime(at, DateTimeKind.Unspecified);
            var utc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(Adjust(candidateLocal), s_london), TimeSpan.Zero);
            if (utc <= now)
            {
                return utc;
            }
        }

        return now;
    }

    private static DateTime Adjust(DateTime local) => s_london.IsInvalidTime(local) ? local.AddHours(1) : local;

    private async Task SendAsync(string school, MonitoringSettings settings, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var rows = await db.Set<MonitoringAlert>().AsNoTracking()
            .Where(a => a.SchoolId == school && a.FirstAt >= from && a.FirstAt < to)
            .ToListAsync(cancellationToken);
        rows = rows.OrderBy(a => a.FirstAt).ThenBy(a => a.Id).ToList();
        var personIds = rows.Where(a => a.PersonId != null).Select(a => a.PersonId!.Value).Distinct().ToList();
        var names = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, p.GivenName, p.FamilyName }).ToDictionaryAsync(p => p.Id, p => $"{p.GivenName} {p.FamilyName}", cancellationToken);
        var schoolName = await db.Schools.AsNoTracking().Where(s => s.Id == school).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? school;

        var html = RenderHtml(schoolName, from, to, rows, names);
        var (file, format) = await PrintAsync(html, cancellationToken);
        var weekEnding = TimeZoneInfo.ConvertTime(to, s_london).ToString("dd/MM/yyyy", s_culture);
        var attachment = format == DigestFormat.Pdf
            ? new EmailAttachment($"monitoring-digest-{TimeZoneInfo.ConvertTime(to, s_london):yyyy-MM-dd}.pdf", "application/pdf", file)
            : new EmailAttachment($"monitoring-digest-{TimeZoneInfo.ConvertTime(to, s_london):yyyy-MM-dd}.html", "text/html", file);

        // The body carries no names, phrases or categories: just the count and a link. Detail is in the attachment.
        var link = $"{BaseUrl()}/monitoring";
        var body = $"Weekly monitoring digest for the week ending {weekEnding}: {Plural(rows.Count, "alert", "alerts")} raised.\n\n"
            + $"The report is attached. Please sign in to Brightline to review alerts:\n{link}\n\n"
            + "This email deliberately contains no details of any concern.\n";
        var subject = $"Weekly monitoring digest: week ending {weekEnding}";

        var told = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in settings.DigestRoles)
        {
            foreach (var (address, personId) in await alerts.RecipientsAsync(school, role, cancellationToken))
            {
                if (told.Add(address))
                {
                    email.Enqueue(school, address, subject, body, "monitoring-digest", personId, [attachment]);
                }
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<MonitoringDigest>().Add(new MonitoringDigest
        {
            SchoolId = school,
            PeriodStart = from,
            PeriodEnd = to,
            SentAt = StoredTime.Now(time),
            AlertCount = rows.Count,
            RecipientCount = told.Count,
            Format = format,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(school, "brightline", AuditAction, "monitoring",
            $"week ending {weekEnding}: {rows.Count} alert(s), {told.Count} recipient(s), {format.Key()} report", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The report: counts by category and severity, then each alert (UK date, person, category, phrase, outcome).</summary>
    public static string RenderHtml(string schoolName, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<MonitoringAlert> rows, IReadOnlyDictionary<Guid, string> names)
    {
        static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
        var severities = new[] { "critical", "high", "medium", "low" };
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Weekly monitoring digest</title><style>")
            .Append("body{font-family:sans-serif;font-size:11pt}table{border-collapse:collapse;width:100%;margin-bottom:1em}")
            .Append("th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}th{background:#eee}")
            .Append("</style></head><body>");
        sb.Append("<h1>Weekly monitoring digest</h1><p>").Append(H(schoolName)).Append(": alerts first raised from ")
            .Append(H(TimeZoneInfo.ConvertTime(from, s_london).ToString("dd/MM/yyyy HH:mm", s_culture))).Append(" to ")
            .Append(H(TimeZoneInfo.ConvertTime(to, s_london).ToString("dd/MM/yyyy HH:mm", s_culture))).Append(" (UK time). ")
            .Append(H(Plural(rows.Count, "alert", "alerts"))).Append(".</p>");
        sb.Append("<p><strong>Confidential: safeguarding information.</strong> Do not forward.</p>");

        sb.Append("<h2>By category and severity</h2><table id=\"counts\"><thead><tr><th scope=\"col\">Category</th>");
        foreach (var s in severities)
        {
            sb.Append("<th scope=\"col\">").Append(s).Append("</th>");
        }

        sb.Append("<th scope=\"col\">Total</th></tr></thead><tbody>");
        foreach (var group in rows.GroupBy(a => a.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.Append("<tr><th scope=\"row\">").Append(H(group.Key)).Append("</th>");
            foreach (var s in severities)
            {
                sb.Append("<td>").Append(group.Count(a => string.Equals(a.Severity, s, StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture)).Append("</td>");
            }

            sb.Append("<td>").Append(group.Count().ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        if (rows.Count == 0)
        {
            sb.Append("<tr><td colspan=\"6\">No alerts this week.</td></tr>");
        }

        sb.Append("</tbody></table><h2>Alerts</h2><table id=\"alerts\"><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Person</th>")
            .Append("<th scope=\"col\">Category</th><th scope=\"col\">Severity</th><th scope=\"col\">Phrase</th><th scope=\"col\">Outcome</th></tr></thead><tbody>");
        foreach (var a in rows)
        {
            var person = a.PersonId is { } id && names.TryGetValue(id, out var n) ? n : "Unknown (device only)";
            sb.Append("<tr><td>").Append(H(TimeZoneInfo.ConvertTime(a.FirstAt, s_london).ToString("dd/MM/yyyy HH:mm", s_culture)))
                .Append("</td><td>").Append(H(person))
                .Append("</td><td>").Append(H(a.Category))
                .Append("</td><td>").Append(H(a.Severity))
                .Append("</td><td>").Append(H(a.Phrase))
                .Append("</td><td>").Append(H(a.Outcome is { } o ? o.Describe() : "Open"))
                .Append("</td></tr>");
        }

        sb.Append("</tbody></table></body></html>");
        return sb.ToString();
    }

    /// <summary>Prints the HTML to PDF (the shared <see cref="Brightline.Kernel.PdfPrinter"/>); the HTML itself when Chromium cannot.</summary>
    private async Task<(byte[] File, DigestFormat Format)> PrintAsync(string html, CancellationToken cancellationToken) =>
        await printer.PrintAsync(html, cancellationToken) is { } pdf ? (pdf, DigestFormat.Pdf) : (Encoding.UTF8.GetBytes(html), DigestFormat.Html);

    private string BaseUrl() => links.BaseUrl();

    private static string Plural(int n, string one, string many) => $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? one : many)}";

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
