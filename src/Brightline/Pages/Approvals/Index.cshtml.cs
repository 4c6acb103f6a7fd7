using Brightline.Approvals;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Approvals;

/// <summary>
/// The approvals list: the user's own requests, those waiting for their decision, and (for approvers and
/// the head, safeguarding leads and administrator) all of them, filtered by type and status, 25 a page.
/// </summary>
public sealed class IndexModel(PortalScope scope, BrightlineDbContext db, PolicyStore policies, Brightline.People.RoleCoverage coverage) : PageModel
{
    /// <summary>For the administrator: roles the policy asks to decide something that no account holds (issue 17, defect 2b).</summary>
    public IReadOnlyList<Brightline.People.UnheldRole> UndecidedRoles { get; private set; } = [];

    public const string Mine = "mine";
    public const string Awaiting = "awaiting";
    public const string All = "all";

    [BindProperty(SupportsGet = true)]
    public string? View { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<ApprovalRequest> Items { get; private set; } = [];

    public int Total { get; private set; }

    public int AwaitingCount { get; private set; }

    public ApprovalSettings Settings { get; private set; } = null!;

    /// <summary>Types this user may ask for (the "new request" links).</summary>
    public IReadOnlyList<ApprovalType> CanRequest { get; private set; } = [];

    public bool SeesAll { get; private set; }

    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public int Pages => Math.Max(1, (Total + ApprovalService.PageSize - 1) / ApprovalService.PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        var school = scope.RequiredSchoolId;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        Settings = ApprovalSettings.From(policy);
        if (scope.IsAdmin)
        {
            UndecidedRoles = (await coverage.UnheldAsync(school, cancellationToken)).Where(u => u.NeedsAccount).ToList();
        }

        var actor = ApprovalActor.From(scope);
        CanRequest = Settings.Types.Where(t => ApprovalService.Holds(actor, t.Requesters, policy)).ToList();
        var decidable = Settings.Types.Where(t => !t.SelfAuthorised && ApprovalService.Holds(actor, t.Approvers, policy)).Select(t => t.Id).ToList();
        SeesAll = decidable.Count > 0 || scope.HasAnyRole([PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin]);
        View = View is Awaiting or All && SeesAll ? View : View is null && decidable.Count > 0 ? Awaiting : Mine;

        var me = scope.UserName;
        var self = scope.PersonId ?? Guid.Empty;
        var all = db.Set<ApprovalRequest>().AsNoTracking().Where(a => a.SchoolId == school);
        var awaiting = all.Where(a => a.Status == ApprovalState.Pending && decidable.Contains(a.TypeId) && a.RequestedBy != me && a.SubjectPersonId != self);
        AwaitingCount = await awaiting.CountAsync(cancellationToken);
        var query = View switch
        {
            Awaiting => awaiting,
            All when scope.HasAnyRole([PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin]) => all,
            All => all.Where(a => decidable.Contains(a.TypeId) || a.RequestedBy == me),
            _ => all.Where(a => a.RequestedBy == me || a.SubjectPersonId == self),
        };
        if (!string.IsNullOrEmpty(Type))
        {
            query = query.Where(a => a.TypeId == Type);
        }

        if (!string.IsNullOrEmpty(Status))
        {
            // A status the page does not offer matches nothing, as it did when the column was compared as text.
            query = ApprovalStates.Words.TryParse(Status, out var status) ? query.Where(a => a.Status == status) : query.Where(a => false);
        }

        Total = await query.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        // Newest first; ordered in memory because SQLite cannot order by a DateTimeOffset column. The page is cut after.
        var rows = await query.Select(a => new { a.Id, a.CreatedAt }).ToListAsync(cancellationToken);
        var ids = rows.OrderByDescending(r => r.CreatedAt).Skip((PageNumber - 1) * ApprovalService.PageSize).Take(ApprovalService.PageSize).Select(r => r.Id).ToList();
        var items = await all.Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        Items = items.OrderByDescending(a => a.CreatedAt).ToList();
        var people = Items.Select(a => a.SubjectPersonId).OfType<Guid>().Distinct().ToList();
        Names = await db.People.AsNoTracking().Where(p => people.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, cancellationToken);
        return Page();
    }

    public string Link(string? view = null, string? type = null, string? status = null, int? page = null)
    {
        var parts = new List<string> { $"view={Uri.EscapeDataString(view ?? View ?? Mine)}" };
        if ((type ?? Type) is { Length: > 0 } t) { parts.Add($"type={Uri.EscapeDataString(t)}"); }
        if ((status ?? Status) is { Length: > 0 } s) { parts.Add($"status={Uri.EscapeDataString(s)}"); }
        if (page is { } n && n > 1) { parts.Add($"p={n}"); }
        return "/approvals?" + string.Join("&", parts);
    }
}
