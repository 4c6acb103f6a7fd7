using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace Brightline.Portal;

/// <summary>
/// Ending every session of an account. A portal session is a cookie holding the account's security stamp;
/// <see cref="PortalClaimsTransformation"/> compares it with the stored stamp on every request, so changing
/// the stamp ends every session at its next request, on every node (issue 10, item 6). Identity changes the
/// stamp itself on a password reset or change; a role removal and a leaver call this.
/// </summary>
public static class AccountSessions
{
    public static async Task EndAllAsync(UserManager<ApplicationUser> users, string accountId)
    {
        if (await users.FindByIdAsync(accountId) is { } account)
        {
            await users.UpdateSecurityStampAsync(account);
        }
    }
}
