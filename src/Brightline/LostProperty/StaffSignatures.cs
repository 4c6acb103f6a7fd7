using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.LostProperty;

/// <summary>
/// A member of staff signs for a found device by entering their password at the screen, as the chain of custody does
/// (Custody's signature is private to it, so the same rules are kept here): the account must hold a staff role at this
/// school; a wrong password counts towards lockout and is audited, and nothing is recorded.
/// </summary>
public sealed class StaffSignatures(BrightlineDbContext db, AuditLog audit, UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn)
{
    public const string AuditRefused = "lost-property-signature-refused";

    public async Task<StaffSigner> SignAsync(string schoolId, string actor, string? emailOrName, string? password, string who, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(emailOrName))
        {
            throw new InvalidException($"Enter the email address of {who}.");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidException($"{char.ToUpperInvariant(who[0])}{who[1..]} must enter their password to sign.");
        }

        var user = await users.FindByNameAsync(emailOrName.Trim()) ?? await users.FindByEmailAsync(emailOrName.Trim());
        var memberships = user is null ? [] : await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.UserId == user.Id && m.SchoolId == schoolId).ToListAsync(cancellationToken);
        var role = memberships.Select(m => m.Role).FirstOrDefault(r => PortalRoles.StaffRoles.Contains(r, StringComparer.Ordinal));
        if (user is null || role is null)
        {
            throw new InvalidException("That email address is not a member of staff at this school.");
        }

        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            await audit.AppendAsync(schoolId, actor, AuditRefused, user.UserName, check.IsLockedOut ? "locked out" : "wrong password", null, cancellationToken);
            throw new InvalidException(check.IsLockedOut
                ? "That account is locked after too many wrong passwords; try again later."
                : "The password is not right, so the signature was not accepted. Nothing was recorded.");
        }

        var personId = memberships.Select(m => m.PersonId).FirstOrDefault(p => p is not null);
        var personName = personId is { } pid
            ? await db.People.AsNoTracking().Where(p => p.Id == pid).Select(p => p.GivenName + " " + p.FamilyName).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new StaffSigner(user.Id, personName ?? user.DisplayName ?? user.UserName ?? user.Email ?? user.Id, role);
    }
}
