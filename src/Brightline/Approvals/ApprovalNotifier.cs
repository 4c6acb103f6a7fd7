using Brightline.Kernel;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Approvals;

/// <summary>The approval emails: to those who may decide, to the requester once decided, and C11's notice. Each is a link only.</summary>
public sealed class ApprovalNotifier(BrightlineDbContext db, EmailSender email, PortalLinks links)
{
    public async Task ApproversAsync(SchoolPolicy policy, ApprovalType type, ApprovalRequest approval, CancellationToken cancellationToken)
    {
        var roles = type.Approvers.Where(PortalRoles.IsKnown).ToList();
        var userIds = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == approval.SchoolId && roles.Contains(m.Role)).Select(m => m.UserId).ToListAsync(cancellationToken);
        var to = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.Email != null).Select(u => u.Email!).ToListAsync(cancellationToken);
        if (type.Approvers.Contains(ApprovalSettings.Bursar, StringComparer.Ordinal) && policy.Roles.Bursar?.Email is { Length: > 0 } bursar)
        {
            to.Add(bursar);
        }

        foreach (var address in to.Where(a => !string.Equals(a, approval.RequestedBy, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            // A link only: no names, no reasons, nothing about a child in an email.
            email.Enqueue(approval.SchoolId, address, "A request is waiting for your approval",
                $"A request is waiting for your decision in Brightline.\n\nSign in to read and decide it:\n{Link(approval)}\n", "approval-request", null);
        }
    }

    /// <summary>Queues the requester's notice; the caller's transaction commits it with the decision.</summary>
    public void Requester(ApprovalRequest approval)
    {
        if (approval.RequestedBy.Contains('@', StringComparison.Ordinal))
        {
            email.Enqueue(approval.SchoolId, approval.RequestedBy, "Your request has been decided",
                $"Your request in Brightline has been decided.\n\nSign in to see the decision:\n{Link(approval)}\n", "approval-decision", null);
        }
    }

    /// <summary>C11: the head (and any other role the type names) is told an override is in force — by a link only.</summary>
    public async Task RolesAsync(SchoolPolicy policy, ApprovalType type, ApprovalRequest approval, CancellationToken cancellationToken)
    {
        var to = policy.Roles.All().Where(r => type.Notify.Contains(r.Role, StringComparer.Ordinal)).Select(r => r.Holder.Email).OfType<string>().ToList();
        var portalRoles = type.Notify.Where(PortalRoles.IsKnown).ToList();
        var userIds = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == approval.SchoolId && portalRoles.Contains(m.Role)).Select(m => m.UserId).ToListAsync(cancellationToken);
        to.AddRange(await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.Email != null).Select(u => u.Email!).ToListAsync(cancellationToken));
        foreach (var address in to.Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            email.Enqueue(approval.SchoolId, address, "A filtering override has been recorded",
                $"An override of the school's web filtering has been switched on and recorded in the safeguarding log and the violations register.\n\nSign in to read it:\n{Link(approval)}\n",
                "approval-notice", null);
        }
    }

    private string Link(ApprovalRequest approval) =>
        $"{links.BaseUrl()}/approvals/{approval.Id}";
}
