using Brightline.Data;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.People;

/// <summary>
/// Which of the roles the policy routes to nobody holds (issue 15 part 8): a role that decides (approvals, device
/// requests) needs a portal account with the role — the bursar an account with the policy's bursar address; a role
/// that is only emailed needs someone with an address (a person with the role from the import, an account, or the
/// policy's named holder). Shown on the dashboard and after <c>policy load</c>, so a request is never "sent" to nobody.
/// </summary>
public sealed class RoleCoverage(BrightlineDbContext db, PolicyStore policies) : IPolicyLoadWarnings
{
    /// <summary>One sentence per unheld role, for <c>policy load</c>.</summary>
    public async Task<IReadOnlyList<string>> WarningsAsync(string schoolId, CancellationToken cancellationToken) =>
        (await UnheldAsync(schoolId, cancellationToken)).Select(Sentence).ToList();

    public static string Sentence(UnheldRole unheld) =>
        $"warning: the policy routes to '{unheld.Role}', but {(unheld.NeedsAccount ? "no portal account holds that role" : "nobody holding it has an email address")}; "
        + $"the {unheld.Role.Replace('_', ' ')} {string.Join("; ", unheld.What)}";

    public async Task<IReadOnlyList<UnheldRole>> UnheldAsync(string schoolId, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var memberships = (await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId).Select(m => m.Role).Distinct().ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var unheld = new List<UnheldRole>();
        foreach (var routes in PolicyRoutes.Of(policy).GroupBy(r => r.Role, StringComparer.Ordinal))
        {
            var role = routes.Key;
            var decides = routes.Any(r => r.Decides);
            var what = routes.Select(r => r.What).Distinct(StringComparer.Ordinal).ToList();
            if (decides && !await HasAccountAsync(policy, schoolId, role, memberships, cancellationToken))
            {
                unheld.Add(new UnheldRole(role, true, what));
            }
            else if (!decides && (await RoleHolders.EmailsAsync(db, policies, schoolId, role, cancellationToken)).Count == 0)
            {
                unheld.Add(new UnheldRole(role, false, what));
            }
        }

        return unheld;
    }

    private async Task<bool> HasAccountAsync(SchoolPolicy policy, string schoolId, string role, HashSet<string> memberships, CancellationToken cancellationToken)
    {
        if (memberships.Contains(role) || !string.Equals(role, RoleKeys.Bursar, StringComparison.Ordinal))
        {
            return memberships.Contains(role);
        }

        // H17: an account with the bursar role holds it; so does one whose address is the policy's bursar's (ApprovalService.Holds).
        if (policy.Roles.Bursar?.Email is not { Length: > 0 } email)
        {
            return false;
        }

        var normalised = email.ToUpperInvariant();
        return await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.NormalizedEmail)
            .AnyAsync(e => e == normalised, cancellationToken);
    }
}
