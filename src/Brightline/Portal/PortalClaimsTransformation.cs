using System.Globalization;
using System.Security.Claims;
using Brightline.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Portal;

/// <summary>
/// Adds the signed-in user's roles at the school currently shown, read fresh from the database on every
/// request: an administrator's role change or removal takes effect at once, not when a cookie expires.
/// A parent or volunteer in an official capacity (O14, an approval in force) also gets the staff role. A cookie
/// whose security stamp is no longer the account's is marked as ended, for <see cref="PortalGate"/> to sign out
/// (see <see cref="AccountSessions"/>).
/// </summary>
public sealed class PortalClaimsTransformation(
    BrightlineDbContext db, IHttpContextAccessor accessor, IOfficialCapacity officialCapacity, Microsoft.Extensions.Options.IOptions<IdentityOptions> identityOptions) : IClaimsTransformation
{
    public const string SchoolCookie = "brightline-school";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        var identity = principal.Identities.FirstOrDefault(i =>
            i.IsAuthenticated && string.Equals(i.AuthenticationType, IdentityConstants.ApplicationScheme, StringComparison.Ordinal));
        if (identity is null || identity.HasClaim(c => string.Equals(c.Type, PortalClaims.SchoolCount, StringComparison.Ordinal)))
        {
            return principal;
        }

        var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (userId is null)
        {
            return principal;
        }

        var cancellationToken = accessor.HttpContext?.RequestAborted ?? CancellationToken.None;
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.TwoFactorEnabled, u.SecurityStamp }).FirstOrDefaultAsync(cancellationToken);
        var cookieStamp = identity.FindFirst(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType)?.Value;
        if (account is null)
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        if (!string.Equals(account.SecurityStamp, cookieStamp, StringComparison.Ordinal))
        {
            // The password was reset or changed, a role was removed or the person left since this cookie was issued:
            // no role here, and PortalGate ends the session (issue 10, item 6). The gate acts rather than this,
            // because a page that changes the stamp itself (enabling two-factor) re-authenticates mid-request to
            // issue the new cookie, and must not be signed out by its own change.
            var ended = principal.Clone();
            ended.Identities.First(i => string.Equals(i.AuthenticationType, IdentityConstants.ApplicationScheme, StringComparison.Ordinal))
                .AddClaims([new Claim(PortalClaims.SchoolCount, "0"), new Claim(PortalClaims.SessionEnded, "true")]);
            return ended;
        }

        var twoFactor = account.TwoFactorEnabled;
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.UserId == userId).ToListAsync(cancellationToken);
        var schools = memberships.Select(m => m.SchoolId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var wanted = accessor.HttpContext?.Request.Cookies[SchoolCookie];
        var school = wanted is not null && schools.Contains(wanted, StringComparer.Ordinal) ? wanted : schools.FirstOrDefault();

        var clone = principal.Clone();
        var added = new ClaimsIdentity();
        added.AddClaim(new Claim(PortalClaims.SchoolCount, schools.Count.ToString(CultureInfo.InvariantCulture)));
        added.AddClaim(new Claim(PortalClaims.TwoFactor, twoFactor ? "true" : "false"));
        // Any 2FA role at any school counts: the same account could switch schools without signing in again.
        if (memberships.Any(m => PortalRoles.RequireTwoFactor.Contains(m.Role, StringComparer.Ordinal)))
        {
            added.AddClaim(new Claim(PortalClaims.NeedsTwoFactor, "true"));
        }

        if (school is not null)
        {
            added.AddClaim(new Claim(PortalClaims.School, school));
            foreach (var m in memberships.Where(m => string.Equals(m.SchoolId, school, StringComparison.Ordinal)))
            {
                added.AddClaim(new Claim(ClaimTypes.Role, m.Role));
                if (m.PersonId is { } personId && !added.HasClaim(c => string.Equals(c.Type, PortalClaims.Person, StringComparison.Ordinal)))
                {
                    added.AddClaim(new Claim(PortalClaims.Person, personId.ToString()));
                }
            }
        }

        // O14: a parent or volunteer whose official-capacity access the head approved has the staff role while it
        // is in force (staff rules apply: the staff agreement, the staff pages); it ends by itself with the approval.
        if (school is not null && added.FindFirst(PortalClaims.Person)?.Value is { } person
            && !added.Claims.Any(c => string.Equals(c.Type, ClaimTypes.Role, StringComparison.Ordinal) && PortalRoles.StaffRoles.Contains(c.Value, StringComparer.Ordinal))
            && await officialCapacity.IsInOfficialCapacityAsync(school, Guid.Parse(person), cancellationToken))
        {
            added.AddClaim(new Claim(ClaimTypes.Role, PortalRoles.Staff));
        }

        // Role claims must sit on an authenticated identity for IsInRole/RequireRole to see them.
        var target = clone.Identities.First(i => string.Equals(i.AuthenticationType, IdentityConstants.ApplicationScheme, StringComparison.Ordinal));
        target.AddClaims(added.Claims);
        return clone;
    }
}
