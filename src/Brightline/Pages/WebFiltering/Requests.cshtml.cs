using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using RequestEntity = Brightline.Data.Entities.FilterRequest;

using Brightline.Filtering;

namespace Brightline.Pages.WebFiltering;

/// <summary>Unblock requests and reported misses: approve into a local allow/deny (optionally until a time) or decline with a reason; the history of every change.</summary>
[Authorize(Roles = PortalRoles.FilterRequestDeciderNames)]
public sealed class RequestsModel(PortalScope scope, BrightlineDbContext db, FilterRequestService requests, FilterService filters) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty]
    public string? Profile { get; set; }

    [BindProperty]
    public string? Expires { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? DeclineReason { get; set; }

    [BindProperty]
    public long OverrideId { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<RequestEntity> Pending { get; private set; } = [];

    public Paged<RequestEntity> History { get; private set; } = new([], 1, 0);

    public IReadOnlyList<FilterOverride> Overrides { get; private set; } = [];

    public IReadOnlyList<string> Profiles { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await IsThisSchoolsAsync(cancellationToken))
        {
            return NotFound();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken cancellationToken)
    {
        if (!await IsThisSchoolsAsync(cancellationToken))
        {
            return NotFound();
        }

        await Act(async school =>
        {
            var filter = await filters.GetAsync(school, cancellationToken);
            DateTimeOffset? until = null;
            if (!string.IsNullOrWhiteSpace(Expires))
            {
                if (!DateTime.TryParseExact(Expires, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "dd/MM/yyyy HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                {
                    throw new InvalidException("The expiry is not a date and time, e.g. 25/11/2026 14:00.");
                }

                var zone = filter.Engine.Current.Options.TimeZone;
                until = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            }

            await requests.ApproveAsync(school, Id ?? 0, Profile ?? "", until, Note, scope.UserName, scope.ClientAddress, cancellationToken);
            Message = $"Request {Id} approved; the filter changed at once.";
        }, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeclineAsync(CancellationToken cancellationToken)
    {
        if (!await IsThisSchoolsAsync(cancellationToken))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(DeclineReason))
        {
            ModelState.AddModelError("decline-reason", "Give a reason for declining.");
            Error = "Give a reason for declining.";
            await LoadAsync(cancellationToken);
            return Page();
        }

        await Act(async school =>
        {
            await requests.DeclineAsync(school, Id ?? 0, DeclineReason, scope.UserName, scope.ClientAddress, cancellationToken);
            Message = $"Request {Id} declined.";
        }, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken cancellationToken)
    {
        await Act(async school =>
        {
            await requests.WithdrawAsync(school, OverrideId, scope.UserName, scope.ClientAddress, cancellationToken);
            Message = "The override was withdrawn; the policy's own lists apply again.";
        }, cancellationToken);
        return Page();
    }

    public string PageLink(int page) => "/filtering/requests?p=" + page.ToString(CultureInfo.InvariantCulture);

    public string? PersonName(Guid? id) => id is { } g && _names.TryGetValue(g, out var n) ? n : null;

    private Dictionary<Guid, string> _names = [];

    /// <summary>The ID picks a request of this school; another school's (or none that exists) is not found, before anything else is checked.</summary>
    private async Task<bool> IsThisSchoolsAsync(CancellationToken cancellationToken) =>
        Id is not { } id || await db.Set<RequestEntity>().AnyAsync(r => r.Id == id && r.SchoolId == scope.RequiredSchoolId, cancellationToken);

    private async Task Act(Func<string, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            await action(scope.RequiredSchoolId);
        }
        catch (DomainException ex) when (ex is not ForbiddenException)
        {
            Error = ex.Message;
            Response.StatusCode = ErrorHandling.StatusOf(ex);
        }

        await LoadAsync(cancellationToken);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        Now = HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var all = db.Set<RequestEntity>().AsNoTracking().Where(r => r.SchoolId == school);
        Pending = await all.Where(r => r.Status == FilterRequestState.Pending).OrderBy(r => r.Id).Take(200).ToListAsync(cancellationToken);
        var decided = all.Where(r => r.Status != FilterRequestState.Pending);
        var page = PortalHtml.ClampPage(PageNumber);
        var total = await decided.CountAsync(cancellationToken);
        History = new Paged<RequestEntity>(await decided.OrderByDescending(r => r.Id).Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken), page, total);
        Overrides = await db.Set<FilterOverride>().AsNoTracking().Where(o => o.SchoolId == school).OrderByDescending(o => o.Id).Take(200).ToListAsync(cancellationToken);
        var ids = Pending.Concat(History.Items).Select(r => r.PersonId).OfType<Guid>().Distinct().ToList();
        _names = await db.People.AsNoTracking().Where(p => p.SchoolId == school && ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.GivenName + " " + p.FamilyName, cancellationToken);
        Profiles = filters.Find(school)?.Policy.Filtering.Profiles.Select(p => p.Group).ToList() ?? [];
    }
}
