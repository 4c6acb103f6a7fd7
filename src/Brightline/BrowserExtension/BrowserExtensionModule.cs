using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.BrowserExtension;

/// <summary>
/// Brightline for Chrome (issue 12): enrolment keys per school, one token per person per browser, and the
/// decision API that answers an enrolled browser with the DNS filter's own decision for that person; the
/// acknowledgement and "Tell a trusted adult" (<see cref="AgreeApi"/>); the heartbeat and removal alerts (<see cref="TamperApi"/>).
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
        services.TryAddScoped<TamperAlerts>();
        services.AddHostedService<TamperWorker>();
    }

    public void MapEndpoints(WebApplication app)
    {
        // The enrolment key is the credential here; the sign-in limit stops one address trying keys or emails in bulk.
        app.MapPost(DecisionApi.EnrolPath, DecisionApi.EnrolAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.SignIn);
        // A portal sign-in's one-time code is the credential here, with the enrolment key; limited like enrolment.
        app.MapPost(ExtensionSignInApi.ExchangePath, ExtensionSignInApi.ExchangeAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimits.SignIn);
        app.MapPost(DecisionApi.DecisionsPath, DecisionApi.DecideAsync).RequireAuthorization(ExtensionPolicy).DisableAntiforgery();

        // People are told, and agree (issue 12, point 5): the acknowledgement (C8, H13) and "Tell a trusted adult" (W5).
        app.MapGet(AgreeApi.AcknowledgementPath, AgreeApi.DueAsync).RequireAuthorization(ExtensionPolicy);
        app.MapPost(AgreeApi.AcknowledgementPath, AgreeApi.AcceptAsync).RequireAuthorization(ExtensionPolicy).DisableAntiforgery();
        app.MapPost(AgreeApi.ConcernPath, AgreeApi.ConcernAsync).RequireAuthorization(ExtensionPolicy).DisableAntiforgery();

        // Tamper evidence (issue 12, point 6). The removal address is opened by Chrome after the extension is gone, so
        // it carries the token in its query (no header can be sent); the public-links limit stops it being tried in bulk.
        app.MapPost(TamperApi.HeartbeatPath, TamperApi.HeartbeatAsync).RequireAuthorization(ExtensionPolicy).DisableAntiforgery();
        app.MapGet(TamperApi.RemovedPath, TamperApi.RemovedAsync).AllowAnonymous().RequireRateLimiting(RateLimits.PublicLinks);
    }
}
