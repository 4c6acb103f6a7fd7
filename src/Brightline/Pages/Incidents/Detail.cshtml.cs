using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Incidents;

/// <summary>
/// An incident and its timeline, shown to each reader only as the register's policy allows: the kind's readers
/// see everything; the reporter who is not a reader sees their own entries and files and the status; the subject
/// of an allegation sees nothing. Every view and download is audited (<see cref="IncidentService"/>, <see cref="IncidentAttachments"/>).
/// </summary>
[RequestSizeLimit(IncidentAttachments.MaxAttachmentBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = IncidentAttachments.MaxAttachmentBytes + 1024 * 1024)]
public sealed class DetailModel(PortalScope scope, IncidentService incidents, IncidentAttachments attachments, IncidentActions actions, TimeProvider time, Brightline.People.PeopleNames people, PdfPrinter printer) : PageModel
{
    public IncidentView? View { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public string? Message { get; private set; }

    public bool IsReader => View?.Access == IncidentAccess.Reader;

    private IReadOnlyDictionary<string, string> _names = new Dictionary<string, string>();

    /// <summary>Who wrote an entry or recorded the incident, by name where the school knows the account (issue 17 defect 3).</summary>
    public string NameOf(string author) => _names.TryGetValue(author, out var name) ? name : author;

    [BindProperty] public string? Text { get; set; }
    [BindProperty] public long? Corrects { get; set; }
    [BindProperty] public bool Restricted { get; set; }
    [BindProperty] public string? Status { get; set; }
    [BindProperty] public string? StatusText { get; set; }
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? DecisionReason { get; set; }
    [BindProperty] public string? LinkKind { get; set; }
    [BindProperty] public string? LinkTarget { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public bool FileRestricted { get; set; }
    [BindProperty] public string? PersonWho { get; set; }

    // O11: a device search and a deletion (IncidentActions).
    [BindProperty] public string? SearchDevice { get; set; }
    [BindProperty] public string? SearchedBy { get; set; }
    [BindProperty] public string? SearchAuthorisedBy { get; set; }
    [BindProperty] public string? SearchDate { get; set; }
    [BindProperty] public string? SearchTime { get; set; }
    [BindProperty] public string? SearchFound { get; set; }
    [BindProperty] public string? DeletedWhat { get; set; }
    [BindProperty] public string? DeletedWhy { get; set; }
    [BindProperty] public string? DeletedAuthorisedBy { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken cancellationToken)
    {
        Message = done switch
        {
            "entry" => "Your entry has been added to the timeline.",
            "status" => "The status has been changed.",
            "decision" => "The decision has been recorded.",
            "link" => "The evidence has been linked.",
            "file" => "The file has been attached.",
            "created" => "The incident has been recorded and the people the policy names have been told.",
            "person" => "The person has been added to the people involved.",
            "search" => "The device search has been added to the timeline.",
            "deletion" => "The deletion has been added to the timeline.",
            _ => null,
        };
        return await ShowAsync(id, cancellationToken);
    }

    public async Task<IActionResult> OnGetAttachmentAsync(Guid id, long attachment, CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        try
        {
            var file = await attachments.AttachmentAsync(scope.RequiredSchoolId, id, attachment, IncidentActor.From(scope), cancellationToken);
            Response.Headers.CacheControl = "no-store";
            Response.Headers["X-Content-Type-Options"] = "nosniff";
            // Always a download, never rendered in the portal's origin.
            return File(file.Content, file.ContentType, file.FileName);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }

    /// <summary>
    /// Issue 17 (export): the incident's chronology printed to PDF — the school, the incident, the people by name and the
    /// timeline numbered as on this page — holding only what this reader may see here. Without Chromium, the same HTML.
    /// </summary>
    [AuditedExport("incident chronology")]
    public async Task<IActionResult> OnGetChronologyAsync(Guid id, CancellationToken cancellationToken)
    {
        // The page's own checks and view (its reading is audited as any view of the incident is).
        if (await ShowAsync(id, cancellationToken) is var shown and not PageResult)
        {
            return shown;
        }

        var view = View!;
        var schoolName = await scope.SchoolNameAsync(cancellationToken) ?? scope.RequiredSchoolId;
        var printedBy = (await people.ForAsync(scope.RequiredSchoolId, [scope.UserName], cancellationToken)).TryGetValue(scope.UserName, out var me) ? me : scope.UserName;
        var html = IncidentChronology.Html(schoolName, view, NameOf, time.GetUtcNow(), printedBy);
        HttpContext.Items[ExportAuditFilter.RowsItem] = view.Entries.Count;
        HttpContext.Items[ExportAuditFilter.AboutItem] = view.Incident.Title;
        var name = $"incident-chronology-{SchoolClock.DateOf(view.Incident.CreatedAt):yyyy-MM-dd}";
        return await printer.PrintAsync(html, cancellationToken) is { } pdf
            ? File(pdf, "application/pdf", name + ".pdf")
            : File(System.Text.Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8", name + ".html");
    }

    public Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(Text), "entry", () => incidents.AddEntryAsAsync(scope.RequiredSchoolId, id, Text, Corrects, Restricted, IncidentActor.From(scope), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostStatusAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(StatusText), "status", () => incidents.ChangeStatusAsync(scope.RequiredSchoolId, id, Status, StatusText, IncidentActor.From(scope), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostDecisionAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(DecisionReason), "decision", () => Decision is "report" or "no_report"
            ? incidents.RecordIcoDecisionAsync(scope.RequiredSchoolId, id, Decision == "report", DecisionReason, IncidentActor.From(scope), cancellationToken)
            : throw new InvalidException("Choose whether the breach will be reported to the ICO."), cancellationToken);

    public Task<IActionResult> OnPostPersonAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(PersonWho), "person", () => incidents.AddPersonAsync(scope.RequiredSchoolId, id, PersonWho, IncidentActor.From(scope), cancellationToken), cancellationToken);

    /// <summary>O11: records a search of a pupil's device as its own timeline entry.</summary>
    public Task<IActionResult> OnPostSearchAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(SearchDevice), "search", () => actions.RecordDeviceSearchAsync(scope.RequiredSchoolId, id,
            new DeviceSearch(SearchDevice, SearchedBy, SearchAuthorisedBy, ParseWhen(SearchDate, SearchTime), SearchFound), IncidentActor.From(scope), cancellationToken), cancellationToken);

    /// <summary>O11: records material deleted from a device as its own timeline entry.</summary>
    public Task<IActionResult> OnPostDeletionAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(DeletedWhat), "deletion", () => actions.RecordDeletionAsync(scope.RequiredSchoolId, id,
            new MaterialDeletion(DeletedWhat, DeletedWhy, DeletedAuthorisedBy), IncidentActor.From(scope), cancellationToken), cancellationToken);

    /// <summary>A UK date (the browser's date input sends yyyy-MM-dd) and an optional time; blank date = not given.</summary>
    private static DateTimeOffset? ParseWhen(string? date, string? time)
    {
        if (string.IsNullOrWhiteSpace(date))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(date.Trim(), ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
        {
            throw new InvalidException("Enter the date of the search, for example 25/11/2026.");
        }

        var clock = TimeOnly.MinValue;
        if (!string.IsNullOrWhiteSpace(time)
            && !TimeOnly.TryParseExact(time.Trim(), ["HH:mm", "H:mm"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out clock))
        {
            throw new InvalidException("Enter the time of the search as hours and minutes, for example 09:30.");
        }

        return SchoolClock.FromUk(day.ToDateTime(clock));
    }

    public Task<IActionResult> OnPostLinkAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(LinkTarget), "link", () => incidents.LinkAsync(scope.RequiredSchoolId, id, LinkKind, LinkTarget, IncidentActor.From(scope), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostFileAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, nameof(Upload), "file", async () =>
        {
            if (Upload is null || Upload.Length == 0)
            {
                throw new InvalidException("Choose a file to attach.");
            }

            if (Upload.Length > IncidentAttachments.MaxAttachmentBytes)
            {
                throw new InvalidException($"The file is too large: attach files of up to {IncidentAttachments.MaxAttachmentBytes / 1024 / 1024} MB.");
            }

            using var buffer = new MemoryStream();
            await Upload.CopyToAsync(buffer, cancellationToken);
            await attachments.AttachAsync(scope.RequiredSchoolId, id, Upload.FileName, Upload.ContentType, buffer.ToArray(), FileRestricted, IncidentActor.From(scope), cancellationToken);
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(Guid id, string field, string done, Func<Task> action, CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        try
        {
            await action();
        }

        catch (ForbiddenException)
        {
            return Forbid();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(field, e.Message);
            return await ShowAsync(id, cancellationToken);
        }

        return Redirect($"/incidents/{id}?done={done}");
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        View = await incidents.ViewAsync(scope.RequiredSchoolId, id, IncidentActor.From(scope), cancellationToken);
        if (View is null)
        {
            return NotFound();
        }

        _names = await people.ForAsync(scope.RequiredSchoolId, View.Entries.Select(e => e.Author).Append(View.Incident.CreatedBy), cancellationToken);

        if (View.Access == IncidentAccess.None)
        {
            return Forbid();
        }

        Now = time.GetUtcNow();
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
