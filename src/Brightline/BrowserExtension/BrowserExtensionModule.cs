using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.BrowserExtension;

/// <summary>
/// Brightline for Chrome (issue 12): enrolment keys per school, one token per person per browser, and the
/// decision API that answers an enrolled browser with the DNS filter's own decision for that person.
/// </summary>
public sealed class BrowserExtensionModule : IFeatureModule
{
    /// <summary>Authorisation policy of the decision API: an extension token (never a portal cookie, the API key or a monitoring device token).</summary>
    public const string ExtensionPolicy = "browser-extension";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ExtensionTokenAuthenticationHandler>(ExtensionTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ExtensionPolicy, p => p.AddAuthenticationSchemes(ExtensionTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ExtensionClaims.Person));
        services.TryAddSingleton<ExtensionTokenCache>();
        services.TryAddSingleton<ExtensionSignInCodes>();
        services.TryAddSingleton<BlockLinkCache>();
        services.TryAddScoped<ExtensionKeys>();
        services.TryAddScoped<ExtensionEnrolment>();
        services.TryAddScoped<EnrolmentRefusals>();
        services.AddHostedService<EnrolmentRefusalPurgeWorker>();
    }

    public void MapEndpoints(WebApplication app)
    {
        // The enrolment key is the credential here; the sign-in limit stops one address trying keys or emails in bulk.
        app.MapPost(DecisionApi.EnrolPath, DecisionApi.EnrolAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.SignIn);
        // A portal sign-in's one-time code is the credential here, with the enrolment key; limited like enrolment.
        app.MapPost(ExtensionSignInApi.ExchangePath, ExtensionSignInApi.ExchangeAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.SignIn);
        app.MapPost(DecisionApi.DecisionsPath, DecisionApi.DecideAsync).RequireAuthorization(ExtensionPolicy).DisableAntiforgery();
    }
}
