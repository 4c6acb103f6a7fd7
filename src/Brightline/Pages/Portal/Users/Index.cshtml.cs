using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Portal.Users;

[Authorize(Policy = PortalPolicies.Admin)]
public sealed class IndexModel(PortalScope scope, BrightlineDbContext db, TimeProvider time) : PageModel
{
    public IReadOnlyList<UserRow> Users { get; private set; } = [];

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
