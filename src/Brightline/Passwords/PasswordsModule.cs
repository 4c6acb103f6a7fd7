using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.AspNetCore.Identity;

namespace Brightline.Passwords;

/// <summary>
/// Password rules from the policy for portal accounts (issue 15; F3, C16, H13): the validator, the history of
/// earlier passwords, the maximum age and its gate, and "my password may be compromised". Registered before the
/// portal's Identity set-up, whose <c>TryAdd</c> registrations then keep these (docs/security.md, "Passwords").
/// </summary>
public sealed class PasswordsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AccountPasswordRules>();
        services.AddScoped<PasswordHistory>();
        services.AddScoped<PasswordExpiry>();
        services.AddScoped<Portal.IPasswordChangeRequired>(sp => sp.GetRequiredService<PasswordExpiry>());
        services.AddScoped<PasswordCompromiseService>();
        // The one password validator: the policy's rules, or the built-in rule (12 characters, 5 different, not
        // guessable). Registered first, so Identity does not add its own fixed-length validator beside it.
        services.AddScoped<IPasswordValidator<ApplicationUser>, PolicyPasswordValidator>();
        services.AddScoped<PortalUserManager>();
        services.AddScoped<UserManager<ApplicationUser>>(sp => sp.GetRequiredService<PortalUserManager>());
    }

    public void UseMiddleware(WebApplication app)
    {
    }

    public void MapEndpoints(WebApplication app)
    {
    }
}
