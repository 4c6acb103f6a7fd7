using Brightline.Agreements;
using Brightline.Kernel;
using Brightline.Data;
using Brightline.Policies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Kernel;

/// <summary>Where emails point and whom they go to: shared by every feature that notifies people by role.</summary>
public static class PortalLinks
{
    /// <summary>The portal's own address (configured, else the first listening address), for links in emails and from block pages.</summary>
    /// <summary>Where `brightline serve` listens unless told otherwise, and so the portal's address when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static string BaseUrl(PortalLinkOptions options, IServiceProvider services)
    {
        if (options.BaseUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        var first = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return (first ?? DefaultUrl).TrimEnd('/');
    }

    /// <summary>
    /// Email addresses for a policy role key: people holding the role (from the MIS import), portal
    /// accounts with it, and the policy's named holders, each address once, in that order.
    /// </summary>
    public static async Task<IReadOnlyList<(string Email, Guid? PersonId)>> RecipientsAsync(
        BrightlineDbContext db, PolicyStore policies, string schoolId, string role, CancellationToken cancellationToken)
    {
        var found = new List<(string, Guid?)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var people = await db.PersonRoles.AsNoTracking().Where(r => r.SchoolId == schoolId && r.Role == role)
            .Join(db.People.Where(p => p.LeftOn == null && p.Email != null), r => r.PersonId, p => p.Id, (r, p) => new { p.Id, p.Email })
            .ToListAsync(cancellationToken);
        foreach (var p in people.OrderBy(p => p.Email, StringComparer.OrdinalIgnoreCase))
        {
            if (seen.Add(p.Email!))
            {
                found.Add((p.Email!, p.Id));
            }
        }

        var accounts = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && m.Role == role)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Email, m.PersonId })
            .ToListAsync(cancellationToken);
        foreach (var a in accounts.Where(a => a.Email is not null).OrderBy(a => a.Email, StringComparer.OrdinalIgnoreCase))
        {
            if (seen.Add(a.Email!))
            {
                found.Add((a.Email!, a.PersonId));
            }
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        foreach (var (key, holder) in policy.Roles.All())
        {
            if (string.Equals(key, role, StringComparison.Ordinal) && holder.Email is { Length: > 0 } e && seen.Add(e))
            {
                found.Add((e, null));
            }
        }

        return found;
    }
}
