using Brightline.Access;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Network;

/// <summary>
/// Network access through FreeRADIUS (issue 13): the rlm_rest API FreeRADIUS asks who may join which network and
/// on which VLAN, RADIUS accounting binding addresses to people for the DNS filter, and <c>brightline radius config</c>,
/// which writes FreeRADIUS's configuration from the policy and settings (docs/network.md).
/// </summary>
public sealed class NetworkModule : IFeatureModule
{
    /// <summary>Authorisation policy of the RADIUS API: the school's machine key (never a portal cookie, the API key or another token).</summary>
    public const string RadiusPolicy = "radius";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RadiusOptions>(RadiusOptions.Section);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, RadiusKeyAuthenticationHandler>(RadiusKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(RadiusPolicy, p => p.AddAuthenticationSchemes(RadiusKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(RadiusClaims.School));
        services.TryAddScoped<RadiusAccounts>();
        services.TryAddScoped<NetworkAccess>();
        // Built on first use, from the request's own scope (so the same DbContext): most sign-ins need neither (NetworkAccess).
        services.TryAddScoped(sp => new Lazy<SignInManager<ApplicationUser>>(sp.GetRequiredService<SignInManager<ApplicationUser>>));
        services.TryAddScoped(sp => new Lazy<AccessGate>(sp.GetRequiredService<AccessGate>));
        services.TryAddScoped<DeviceAccess>();
        services.TryAddScoped<GuestAccess>();
        services.TryAddScoped<GuestVouchers>();
        services.TryAddScoped<NetworkDevices>();
        services.TryAddScoped<RadiusAccounting>();
        services.TryAddScoped<RadiusConfigWriter>();
        services.TryAddScoped<NetworkSessions>();
        services.TryAddScoped<NetworkRejects>();
        services.TryAddScoped<AnswerRecorder>();
        services.TryAddScoped<SessionDisconnects>();
        services.TryAddScoped<StaffDisconnects>();
        services.TryAddScoped<AccessDisconnects>();
        services.TryAddSingleton<DisconnectClient>();
        services.TryAddSingleton<FreeRadiusAnswers>();
        services.TryAddSingleton<FreeRadiusAnswerFlush>();
        services.TryAddSingleton<DisconnectQueue>();
        services.AddSingleton<AccessChanges.IAccessChangeSubscriber>(sp => sp.GetRequiredService<DisconnectQueue>());
        services.AddHostedService<DisconnectWorker>();
        services.TryAddSingleton<RecentAccepts>();
        services.TryAddSingleton<VerifiedCredentials>();
        services.TryAddSingleton<KnownAccountNames>();
        services.TryAddSingleton<NetworkDecisionCache>();
        services.AddSingleton<Brightline.AccessChanges.IAccessChangeSubscriber>(sp => sp.GetRequiredService<NetworkDecisionCache>());
        services.AddHostedService<NetworkRecordsPurgeWorker>();
    }

    /// <summary>
    /// The RADIUS API's lean branch: FreeRADIUS calls it for every sign-in and accounting packet, with its machine key and
    /// never a cookie, so it skips the portal's browser middleware — the block-page host check, security headers for pages, the
    /// cookie sign-in and its claims, the agreement and two-factor gate, the rate limits of sign-in forms, the cookie
    /// antiforgery check — none of which applies to it. What it keeps: transport security and error handling (ProblemDetails),
    /// which run before every branch, then routing and authorisation by <see cref="RadiusPolicy"/>, which authenticates the
    /// machine key itself (<see cref="RadiusKeyAuthenticationHandler"/>) and answers 401 with ProblemDetails without one.
    /// </summary>
    public void UseBranches(WebApplication app) =>
        app.MapWhen(context => context.Request.Path.StartsWithSegments(RadiusApi.Prefix, StringComparison.OrdinalIgnoreCase), radius =>
        {
            // A branch of the application has a routing table of its own: the RADIUS endpoints are mapped here, not in
            // MapEndpoints, and no portal endpoint can be reached through this branch (nor these through the portal's).
            radius.UseRouting();
            radius.UseAuthorization();
            radius.UseEndpoints(endpoints =>
            {
                var api = endpoints.MapGroup(RadiusApi.Prefix).RequireAuthorization(RadiusPolicy).DisableAntiforgery();
                api.MapPost("/authorize", RadiusApi.AuthorizeAsync);
                api.MapPost("/authenticate", RadiusApi.AuthenticateAsync);
                api.MapPost("/post-auth", RadiusApi.PostAuthAsync);
                api.MapPost("/accounting", RadiusApi.AccountingAsync);
            });
        });

    public IEnumerable<System.CommandLine.Command> Commands(CliServices cli) => [RadiusCommands.Create(cli)];
}
