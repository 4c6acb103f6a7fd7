using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Brightline.Passwords;

/// <summary>
/// Identity's user manager, with every way a password is set (creation, change, reset, adding one) recorded in the
/// password history when it succeeds (issue 15). One place, so no page can set a password without it.
/// </summary>
public sealed class PortalUserManager : UserManager<ApplicationUser>
{
    private readonly IServiceProvider _services;

    public PortalUserManager(
        IUserStore<ApplicationUser> store,
        IOptions<IdentityOptions> optionsAccessor,
        IPasswordHasher<ApplicationUser> passwordHasher,
        IEnumerable<IUserValidator<ApplicationUser>> userValidators,
        IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
        ILookupNormalizer keyNormalizer,
        IdentityErrorDescriber errors,
        IServiceProvider services,
        ILogger<UserManager<ApplicationUser>> logger)
        : base(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
    {
        _services = services;
    }

    public override async Task<IdentityResult> CreateAsync(ApplicationUser user, string password) =>
        await RecordAsync(user, await base.CreateAsync(user, password));

    public override async Task<IdentityResult> ChangePasswordAsync(ApplicationUser user, string currentPassword, string newPassword) =>
        await RecordAsync(user, await base.ChangePasswordAsync(user, currentPassword, newPassword));

    public override async Task<IdentityResult> ResetPasswordAsync(ApplicationUser user, string token, string newPassword) =>
        await RecordAsync(user, await base.ResetPasswordAsync(user, token, newPassword));

    public override async Task<IdentityResult> AddPasswordAsync(ApplicationUser user, string password) =>
        await RecordAsync(user, await base.AddPasswordAsync(user, password));

    private async Task<IdentityResult> RecordAsync(ApplicationUser user, IdentityResult result)
    {
        if (result.Succeeded)
        {
            await _services.GetRequiredService<PasswordHistory>().RecordAsync(user, CancellationToken);
        }

        return result;
    }
}
