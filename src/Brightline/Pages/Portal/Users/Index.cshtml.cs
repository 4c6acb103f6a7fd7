using Brightline.Data;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Portal.Users;

[Authorize(Policy = PortalPolicies.Admin)]
public sealed class IndexModel(PortalScope scope, BrightlineDbContext db, TimeProvider time) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

    /// <summary>After "give a role to the selected accounts": how many were given it, and which role.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "granted")]
    public int? Granted { get; set; }

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "role")]
    public string? GrantedRole { get; set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == school).ToListAsync(cancellationToken);
        var ids = memberships.Select(m => m.UserId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToListAsync(cancellationToken);
        Users = users
            .Select(u => new UserRow(u, memberships.Where(m => string.Equals(m.UserId, u.Id, StringComparison.Ordinal)).Select(m => m.Role).Order(StringComparer.Ordinal).ToList()))
            .OrderBy(r => r.User.DisplayName ?? r.User.Email, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
