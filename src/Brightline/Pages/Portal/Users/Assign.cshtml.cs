using Brightline.Audit;
using Brightline.Data;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Portal.Users;

/// <summary>
/// "Give a role to the selected accounts" (issue 17, bulk actions): the accounts ticked on the users list and the role
/// chosen there, confirmed here with the number named, then granted one by one under <see cref="RoleGrant"/>'s rule
/// (the same as an account's own page). Only the school's administrators may, as for one account.
/// </summary>
[Authorize(Policy = PortalPolicies.Admin)]
public sealed class AssignModel(PortalScope scope, BrightlineDbContext db, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "account")]
    public List<string> Accounts { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "role")]
    public string? Role { get; set; }

    /// <summary>The selected accounts of this school that do not hold the role yet: who the grant will reach.</summary>
    public IReadOnlyList<UserRow> Receiving { get; private set; } = [];

    /// <summary>Selected accounts that already hold the role, named so the number on the button is not a surprise.</summary>
    public IReadOnlyList<UserRow> AlreadyHold { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Problem is not null || Receiving.Count == 0)
        {
            return Page();
        }

        var granted = 0;
        foreach (var row in Receiving)
        {
            if (await RoleGrant.GrantAsync(db, audit, scope, row.User.Id, Role!, cancellationToken))
            {
                granted++;
            }
        }

        return Redirect($"/users?granted={granted}&role={Uri.EscapeDataString(Role!)}");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Role is null || !PortalRoles.IsKnown(Role))
        {
            Problem = "Choose the role to give.";
            return;
        }

        var school = scope.RequiredSchoolId;
        var ids = Accounts.Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            Problem = "No accounts were selected. Tick the accounts on the list first.";
            return;
        }

        // Accounts of this school only: an ID from elsewhere is ignored, as it is not in the list this school sees.
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == school && ids.Contains(m.UserId)).ToListAsync(cancellationToken);
        var userIds = memberships.Select(m => m.UserId).Distinct().ToList();
        var rows = (await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToListAsync(cancellationToken))
            .Select(u => new UserRow(u, memberships.Where(m => string.Equals(m.UserId, u.Id, StringComparison.Ordinal)).Select(m => m.Role).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(r => r.User.DisplayName ?? r.User.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
        Receiving = rows.Where(r => !r.Roles.Contains(Role, StringComparer.Ordinal)).ToList();
        AlreadyHold = rows.Where(r => r.Roles.Contains(Role, StringComparer.Ordinal)).ToList();
    }
}
