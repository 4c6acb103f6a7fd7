using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Safeguarding;

/// <summary>One alert: the matched text in context, the screenshot, the timeline, notes and the outcome. Opening it is audited and stops escalation.</summary>
public sealed class AlertModel(AlertQueue queue, ContentPermissions permissions, BrightlineDbContext db, Brightline.Incidents.IncidentService incidents, Brightline.Portal.PortalScope scope) : PageModel
{
    /// <summary>The captured text came from an email (H17: shown only under a granted, unexpired permission for this viewer and person).</summary>
    public bool IsEmail { get; private set; }

    public MonitoringContentPermission? EmailPermission { get; private set; }

    /// <summary>Whether the captured text may be shown to this viewer.</summary>
    public bool ShowCapture => !IsEmail || EmailPermission is not null;

    public MonitoringAlert? Alert { get; private set; }

    /// <summary>A monitoring viewer (every category), rather than a viewer of this alert's category only (H12).</summary>
    public bool SeesEverything { get; private set; }

    public Person? Person { get; private set; }

    public string? DeviceName { get; private set; }

    public IReadOnlyList<MonitoringAlertEntry> Timeline { get; private set; } = [];

    /// <summary>A screenshot sent with an event of the alert, or taken by the browser extension when the server asked for one.</summary>
    public bool HasScreenshot { get; private set; }

    public string? Message { get; private set; }

    /// <summary>The incident this alert was escalated to, if any.</summary>
    public Guid? IncidentId { get; private set; }

    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            return Forbid();
        }

        Message = done switch
        {
            "note" => "Your note has been added.",
            "outcome" => "The outcome has been recorded and the alert closed.",
            _ => null,
        };
        var shown = await ShowAsync(id, cancellationToken);
        if (IncidentId is not null && Message is not null && string.Equals(done, "outcome", StringComparison.Ordinal))
        {
            Message = "Escalated: a safeguarding incident has been opened with this alert attached, and the people the policy names have been told.";
        }

        return shown;
    }

    public async Task<IActionResult> OnGetScreenshotAsync(long id, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            return Forbid();
        }

        var shot = await queue.ScreenshotAsync(id, cancellationToken);
        if (shot is null)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        return File(shot.Value.Bytes, shot.Value.Type);
    }

    public async Task<IActionResult> OnPostNoteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            return Forbid();
        }

        try
        {
            await queue.AddNoteAsync(id, Note ?? "", cancellationToken);
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            ModelState.AddModelError(nameof(Note), e.Message);
            return await ShowAsync(id, cancellationToken);
        }

        return Redirect($"/monitoring/alerts/{id}?done=note");
    }

    public async Task<IActionResult> OnPostOutcomeAsync(long id, CancellationToken cancellationToken)
    {
        if (!await queue.CanViewAsync(cancellationToken))
        {
            return Forbid();
        }

        try
        {
            if (string.Equals(Outcome, AlertOutcome.Escalated.Key(), StringComparison.Ordinal))
            {
                // Only an alert this user may see (their school, and their category for a category viewer).
                await queue.EnsureCanSeeAsync(id, cancellationToken);
                // Issue 5: escalating opens a safeguarding incident with this alert attached (and closes the alert, in one transaction).
                await incidents.EscalateAlertAsync(scope.RequiredSchoolId, id, Note, Brightline.Incidents.IncidentActor.From(scope), cancellationToken);
                return Redirect($"/monitoring/alerts/{id}?done=outcome");
            }

            await queue.RecordOutcomeAsync(id, Outcome, Note, cancellationToken);
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            ModelState.AddModelError(string.IsNullOrEmpty(Outcome) ? nameof(Outcome) : "OutcomeNote", e.Message);
            return await ShowAsync(id, cancellationToken);
        }

        return Redirect($"/monitoring/alerts/{id}?done=outcome");
    }

    private async Task<IActionResult> ShowAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            Alert = await queue.OpenAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        SeesEverything = await queue.CanViewEverythingAsync(cancellationToken);
        if (Alert.PersonId is { } pid)
        {
            Person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid, cancellationToken);
        }

        var kind = await db.Set<MonitoringEvent>().AsNoTracking().Where(e => e.Id == Alert.EventId).Select(e => e.Kind).FirstOrDefaultAsync(cancellationToken);
        IsEmail = kind == MonitoringEventKind.Email;
        if (IsEmail && Alert.PersonId is { } owner && Alert.Context is not null)
        {
            EmailPermission = await permissions.ActiveAsync(owner, cancellationToken);
            if (EmailPermission is not null)
            {
                await permissions.AuditViewAsync(Alert.Id, EmailPermission, cancellationToken);
            }
        }

        HasScreenshot = Alert.ScreenshotEventId is not null || await MonitoringScreenshots.AlertHasOneAsync(db, Alert.SchoolId, Alert.Id, cancellationToken);
        DeviceName = await db.Set<MonitoringDevice>().AsNoTracking().Where(d => d.Id == Alert.DeviceId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        Timeline = await queue.TimelineAsync(id, cancellationToken);
        var target = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        IncidentId = await db.Set<IncidentLink>().AsNoTracking().Where(l => l.SchoolId == Alert.SchoolId && l.Kind == IncidentLinkKind.Alert && l.TargetId == target)
            .Select(l => (Guid?)l.IncidentId).FirstOrDefaultAsync(cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>The alert's context split around the highlighted span.</summary>
    public (string Before, string Match, string After) Parts() => AlertText.Parts(Alert);
}
