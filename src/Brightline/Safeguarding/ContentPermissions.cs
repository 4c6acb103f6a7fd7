using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// H17: manual inspection of stored email content needs a recorded permission from the head or the
/// bursar first. A monitoring viewer asks (whose content, why, for how long); the head (portal role) or
/// the policy's bursar (by email address) grants or declines it; while granted and unexpired, that
/// viewer alone sees that person's captured email content. Requests, decisions and views are audited.
/// </summary>
public sealed class ContentPermissions(BrightlineDbContext db, PortalScope scope, PolicyStore policies, AlertQueue queue, AuditLog audit, TimeProvider time)
{
    public const string AuditRequested = "monitoring-content-permission-requested";
    public const string AuditGranted = "monitoring-content-permission-granted";
    public const string AuditDeclined = "monitoring-content-permission-declined";
    public const string AuditEmailViewed = "monitoring-email-content-viewed";

    public const int MaxDays = 30;

    /// <summary>The head (portal role) or the policy's bursar (matched by the signed-in account's email address).</summary>
    public async Task<bool> CanDecideAsync(CancellationToken cancellationToken)
    {
        if (scope.SchoolId is not { } school)
        {
            return false;
        }

        if (scope.HasRole(PortalRoles.Head))
        {
            return true;
        }

        var policy = await policies.ActiveAsync(school, cancellationToken);
        return policy.Roles.All().Any(r => string.Equals(r.Role, RoleKeys.Bursar, StringComparison.Ordinal)
            && r.Holder.Email is { Length: > 0 } e && string.Equals(e, scope.UserName, StringComparison.OrdinalIgnoreCase));
    }

    public async Task<IReadOnlyList<MonitoringContentPermission>> ListAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var all = db.Set<MonitoringContentPermission>().AsNoTracking().Where(p => p.SchoolId == school);
        if (!await CanDecideAsync(cancellationToken))
        {
            var me = scope.UserName;
            all = all.Where(p => p.RequestedBy == me);
        }

        return await all.OrderByDescending(p => p.Id).Take(200).ToListAsync(cancellationToken);
    }

    public async Task<MonitoringContentPermission> RequestAsync(Guid personId, string reason, int days, CancellationToken cancellationToken)
    {
        await queue.EnsureEverythingViewerAsync(cancellationToken);
        var school = scope.RequiredSchoolId;
        reason = reason.Trim();
        if (reason.Length == 0)
        {
            throw new InvalidException("Give the reason the email content needs to be inspected.");
        }

        if (days is < 1 or > MaxDays)
        {
            throw new InvalidException($"The permission can last from 1 to {MaxDays} days.");
        }

        if (!await db.People.AnyAsync(p => p.Id == personId && p.SchoolId == school, cancellationToken))
        {
            throw new NotFoundException("There is no such person at this school.");
        }

        var permission = new MonitoringContentPermission
        {
            SchoolId = school,
            PersonId = personId,
            RequestedBy = scope.UserName,
            Reason = reason.Length > 2000 ? reason[..2000] : reason,
            RequestedAt = StoredTime.Now(time),
            Days = days,
            Status = ContentPermissionState.Requested,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<MonitoringContentPermission>().Add(permission);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(school, scope.UserName, AuditRequested, $"person:{personId}", $"permission {permission.Id}, {days} day(s)", scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return permission;
    }

    public async Task DecideAsync(long id, bool grant, string? note, CancellationToken cancellationToken)
    {
        if (!await CanDecideAsync(cancellationToken))
        {
            throw new ForbiddenException("Only the headteacher or the bursar may grant permission to inspect email content.");
        }

        var school = scope.RequiredSchoolId;
        var permission = await db.Set<MonitoringContentPermission>().FirstOrDefaultAsync(p => p.Id == id && p.SchoolId == school, cancellationToken)
            ?? throw new NotFoundException("There is no such request.");
        if (permission.Status != ContentPermissionState.Requested)
        {
            throw new InvalidException("This request has already been decided.");
        }

        if (string.Equals(permission.RequestedBy, scope.UserName, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidException("You cannot decide your own request: the other of the headteacher or bursar must.");
        }

        var now = StoredTime.Now(time);
        permission.Status = grant ? ContentPermissionState.Granted : ContentPermissionState.Declined;
        permission.DecidedBy = scope.UserName;
        permission.DecidedAt = now;
        permission.DecisionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        permission.ExpiresAt = grant ? now + TimeSpan.FromDays(permission.Days) : null;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(school, scope.UserName, grant ? AuditGranted : AuditDeclined, $"person:{permission.PersonId}",
            $"permission {permission.Id} for {permission.RequestedBy}" + (grant ? $", until {permission.ExpiresAt:O}" : ""), scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The signed-in viewer's active permission for this person's email content, if any.</summary>
    public async Task<MonitoringContentPermission?> ActiveAsync(Guid personId, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var me = scope.UserName;
        var now = StoredTime.Now(time);
        return await db.Set<MonitoringContentPermission>().AsNoTracking()
            .Where(p => p.SchoolId == school && p.PersonId == personId && p.RequestedBy == me && p.Status == ContentPermissionState.Granted && p.ExpiresAt > now)
            .OrderByDescending(p => p.ExpiresAt).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task AuditViewAsync(long alertId, MonitoringContentPermission permission, CancellationToken cancellationToken) =>
        await audit.AppendAsync(scope.RequiredSchoolId, scope.UserName, AuditEmailViewed, $"monitoring-alert:{alertId}",
            $"email content of person:{permission.PersonId} under permission {permission.Id}", scope.ClientAddress, cancellationToken);
}
