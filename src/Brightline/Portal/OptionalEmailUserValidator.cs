using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace Brightline.Portal;

/// <summary>
/// Email addresses are unique among accounts, but optional (issue 17, defect 9): a primary pupil has no email address,
/// so their account signs in with a username instead. Identity's own unique-email check refuses an account without an
/// address, so it is turned off (<c>RequireUniqueEmail = false</c>) and this validator keeps the uniqueness for every
/// account that has one.
/// </summary>
public sealed class OptionalEmailUserValidator : IUserValidator<ApplicationUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        var email = await manager.GetEmailAsync(user);
        if (string.IsNullOrWhiteSpace(email))
        {
            return IdentityResult.Success;
        }

        if (!email.Contains('@', StringComparison.Ordinal))
        {
            return IdentityResult.Failed(manager.ErrorDescriber.InvalidEmail(email));
        }

        var owner = await manager.FindByEmailAsync(email);
        return owner is null || string.Equals(owner.Id, await manager.GetUserIdAsync(user), StringComparison.Ordinal)
            ? IdentityResult.Success
            : IdentityResult.Failed(manager.ErrorDescriber.DuplicateEmail(email));
    }
}
