using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Portal.Users;

/// <summary>
/// Giving an account a role at a school: one rule for the account's page and the bulk "give a role to the selected
/// accounts", so both refuse the same things. The role must be one the portal knows; an account already holding it is
/// left alone; only accounts that already belong to this school can be given a role here (accounts elsewhere are
/// another school's to manage); the new role keeps the person link the account already has; each grant is audited.
/// </summary>
internal static class RoleGrant
{
    public static async Task<bool> GrantAsync(
        BrightlineDbContext db, AuditLog audit, PortalScope scope, string userId, string role, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        if (!PortalRoles.IsKnown(role))
        {
            return false;
        }

        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.UserId == userId && m.SchoolId == school).ToListAsync(cancellationToken);
        if (memberships.Count == 0 || memberships.Any(m => string.Equals(m.Role, role, StringComparison.Ordinal)))
        {
            return false;
        }

        db.SchoolMemberships.Add(new SchoolMembership { UserId = userId, SchoolId = school, Role = role, PersonId = memberships.Select(m => m.PersonId).FirstOrDefault(p => p is not null) });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(school, scope.UserName, AuditActions.RoleChange, userId, $"granted {role}", scope.ClientAddress, cancellationToken);
        return true;
    }
}
