using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace Brightline.Portal;

/// <summary>Rejects passwords that are long but guessable: containing "password", the school's usual words, or the user's email name.</summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    private static readonly string[] s_banned = ["password", "12345678", "qwertyuiop", "brightline", "letmein", "welcome1", "iloveyou"];

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (password is null)
        {
            return Task.FromResult(IdentityResult.Success);
        }

        var localPart = user.Email?.Split('@')[0];
        if (s_banned.Any(b => password.Contains(b, StringComparison.OrdinalIgnoreCase))
            || (localPart is { Length: >= 4 } && password.Contains(localPart, StringComparison.OrdinalIgnoreCase)))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "CommonPassword",
                Description = "That password is too easy to guess. Try three random words, like \"kettle river lantern\".",
            }));
        }

        return Task.FromResult(IdentityResult.Success);
    }
}
