using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Leavers;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Leavers;

/// <summary>Leavers' equipment (C19): open and closed checklists, and opening one by hand for a leaver or a long absence.</summary>
public sealed class IndexModel(PortalScope scope, LeaversService leavers) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "closed")]
    public bool Closed { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public string? Person { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public DateOnly? StartsOn { get; set; }

    [BindProperty]
    public DateOnly? EndsOn { get; set; }

    public Paged<LeaverChecklistRow> Results { get; private set; } = new([], 1, 0);

    public int Outstanding { get; private set; }

    public string? Error { get; private set; }

    public string PageLink(int page) => PortalHtml.Link("/devices/leavers", ("closed", Closed ? "true" : null), ("q", Q), ("p", page.ToString(CultureInfo.InvariantCulture)));

    public string CsvLink => PortalHtml.Link("/devices/leavers", ("handler", "csv"), ("closed", Closed ? "true" : null), ("q", Q));

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.DeviceKeepers))
        {
            return Forbid();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.DeviceKeepers))
        {
            return Forbid();
        }

        try
        {
            var school = scope.RequiredSchoolId;
            var matches = await leavers.MatchPeopleAsync(school, Person, cancellationToken);
            if (matches.Count != 1)
            {
                throw new InvalidException(matches.Count == 0
                    ? "Nobody at the school has that name or MIS number."
                    : "More than one person has that name; enter their MIS number instead.");
            }

            var reason = LeaverReasons.Words.TryParse(Reason, out var r) ? r : throw new InvalidException("Choose leaving or a long absence.");
            var checklist = await leavers.OpenAsync(new LeaversActor(school, scope.UserName), matches[0].Id, reason, StartsOn, EndsOn, cancellationToken);
            return Redirect($"/devices/leavers/{checklist.Id}");
        }
        catch (DomainException e) when (e is InvalidException or ConflictException)
        {
            Error = e.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    /// <summary>The open (or closed) checklists, with the search, as CSV: every row, not just this page.</summary>
    [AuditedExport("leavers' checklists")]
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.DeviceKeepers))
        {
            return Forbid();
        }

        var csv = await LeaversCsv.WriteAsync(leavers, scope.RequiredSchoolId, Closed, Q, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", Closed ? "leavers-closed.csv" : "leavers-open.csv");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Results = await leavers.ListAsync(scope.RequiredSchoolId, Closed, Q, PageNumber, cancellationToken);
        Outstanding = await leavers.OutstandingCountAsync(scope.RequiredSchoolId, cancellationToken);
    }
}
