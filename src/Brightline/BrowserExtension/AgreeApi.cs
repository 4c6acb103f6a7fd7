using System.Globalization;
using System.Security.Claims;
using Brightline.Agreements;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Brightline.BrowserExtension;

/// <summary>
/// People are told, and agree (issue 12, point 5): the acknowledgement the policy asks for (C8, H13) before the
/// browser's first navigation, recorded in the same store as the portal's /acknowledge page so the two agree; and
/// "Tell a trusted adult" (W5), a worry that becomes a safeguarding report for the DSL.
/// </summary>
public static class AgreeApi
{
    public const string AcknowledgementPath = "/api/v1/extension/acknowledgement";
    public const string ConcernPath = "/api/v1/extension/concern";

    /// <summary>The longest worry the page takes: a few paragraphs, as the portal's incident entries.</summary>
    public const int MaxConcernLength = 4000;

    /// <summary>The register's title of a worry sent from the browser: it names no one (the record lists the person).</summary>
    public const string ConcernTitle = "A worry told to a trusted adult through Brightline for Chrome";

    /// <summary>
    /// Whether an acknowledgement is due before this browser's next navigation, and its words. <paramref name="since"/>
    /// is when the browser session began (the extension's start after the browser started): for <c>every: sign_in</c>
    /// an acceptance since then counts, as an acceptance since the portal's sign-in counts in the portal. For
    /// <c>day</c> and <c>week</c>, acceptances anywhere (the portal, this or another browser) count.
    /// </summary>
    internal static async Task<IResult> DueAsync(
        HttpContext context, [FromQuery] string? since, AcknowledgementService acknowledgements, BrightlineDbContext db, PortalLinks links, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (schoolId, personId) = Who(context);
        var due = await acknowledgements.DueAsync(schoolId, personId, cancellationToken);
        if (due?.Acknowledgement is { Every: AcknowledgementFrequency.SignIn }
            && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started))
        {
            // A session cannot begin in the future: a browser clock running fast must not excuse the acknowledgement.
            var now = time.GetUtcNow();
            started = started > now ? now : started;
            var agreementId = due.Id;
            var done = await db.Acknowledgements.AsNoTracking()
                .Where(a => a.SchoolId == schoolId && a.PersonId == personId && a.AgreementId == agreementId)
                .Select(a => a.At).ToListAsync(cancellationToken);
            // Compared in memory: SQLite cannot compare DateTimeOffset columns in SQL.
            if (done.Any(at => at >= started))
            {
                due = null;
            }
        }

        context.Response.Headers.CacheControl = "no-store";
        if (due?.Acknowledgement is not { } ack)
        {
            return Results.Ok(new { due = false });
        }

        var baseUrl = links.BaseUrl();
        return Results.Ok(new
        {
            due = true,
            agreementId = due.Id,
            title = due.Title,
            text = ack.Text.Trim(),
            every = ack.Every switch
            {
                AcknowledgementFrequency.SignIn => "sign_in",
                AcknowledgementFrequency.Day => "day",
                AcknowledgementFrequency.Week => "week",
                _ => throw new InvalidOperationException($"Unknown acknowledgement frequency {ack.Every}."),
            },
            policyUrl = $"{baseUrl}/policy/agreements/{Uri.EscapeDataString(due.Id)}",
        });
    }

    /// <summary>Records the acceptance, as the portal's /acknowledge page does (the same record and audit entry).</summary>
    internal static async Task<IResult> AcceptAsync(
        HttpContext context, [FromBody] AcknowledgementRequest? request, AcknowledgementService acknowledgements, CancellationToken cancellationToken)
    {
        var (schoolId, personId) = Who(context);
        if (string.IsNullOrWhiteSpace(request?.AgreementId))
        {
            return DecisionApi.Problem(StatusCodes.Status400BadRequest, "invalid", "Malformed acknowledgement", "Send a JSON object with the agreementId that was shown.");
        }

        var due = await acknowledgements.DueAsync(schoolId, personId, cancellationToken);
        if (due is null || !string.Equals(due.Id, request.AgreementId, StringComparison.Ordinal))
        {
            // Nothing to accept (already accepted today or this week, or the policy changed): the extension asks again.
            return DecisionApi.Problem(StatusCodes.Status409Conflict, "not-due", "Nothing to acknowledge",
                "That acknowledgement is not due for this person now. Ask again what is due.");
        }

        await acknowledgements.RecordAsync(schoolId, personId, due.Id, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return Results.Ok(new { recorded = true, agreementId = due.Id });
    }

    /// <summary>
    /// "Tell a trusted adult": the worry becomes a record in the safeguarding register with the person on it, and the
    /// register's routing emails the DSL (and deputy) a link, as for any safeguarding report (W5). Where the policy
    /// routes that register to head_of_year too (H8, westbrook-hay.yaml), the Head of Year of the pupil's own year is
    /// emailed a link as well, or the record says no Head of Year holds that year (IncidentNotifier).
    /// </summary>
    internal static async Task<IResult> ConcernAsync(
        HttpContext context, [FromBody] ConcernRequest? request, IncidentService incidents, BrightlineDbContext db, AuditLog audit,
        CancellationToken cancellationToken)
    {
        var (schoolId, personId) = Who(context);
        var text = request?.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return DecisionApi.Problem(StatusCodes.Status400BadRequest, "empty", "Nothing written", "Write what is worrying you, then send it.");
        }

        if (text.Length > MaxConcernLength)
        {
            return DecisionApi.Problem(StatusCodes.Status400BadRequest, "too-long", "Too long",
                $"Please keep it to {MaxConcernLength:N0} characters. You can tell a trusted adult the rest in person.");
        }

        var person = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.Id == personId)
            .Select(p => new { p.GivenName, p.FamilyName }).FirstAsync(cancellationToken);
        var incident = await incidents.CreateAsync(
            // The record shows who wrote it by name (never an ID on screen); no portal account has that name, so it opens nothing to anyone.
            new NewIncident(schoolId, IncidentKinds.Safeguarding, ConcernTitle, [personId], [], text,
                $"{person.GivenName} {person.FamilyName} (Brightline for Chrome)"),
            cancellationToken);
        await audit.AppendAsync(schoolId, $"person:{personId}", BrowserExtensionAuditActions.Concern, $"incident:{incident.Id}", null,
            context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return Results.Ok(new { sent = true });
    }

    private static (string SchoolId, Guid PersonId) Who(HttpContext context) =>
        (context.User.FindFirstValue(ExtensionClaims.School)!, Guid.Parse(context.User.FindFirstValue(ExtensionClaims.Person)!));
}
