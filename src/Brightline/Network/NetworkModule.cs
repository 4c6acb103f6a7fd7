using Brightline.Kernel;
using Microsoft.AspNetCore.Authentication;
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

    public void MapEndpoints(WebApplication app)
    {
        var radius = app.MapGroup(RadiusApi.Prefix).RequireAuthorization(RadiusPolicy).DisableAntiforgery();
        radius.MapPost("/authorize", RadiusApi.AuthorizeAsync);
        radius.MapPost("/authenticate", RadiusApi.AuthenticateAsync);
        radius.MapPost("/post-auth", RadiusApi.PostAuthAsync);
        radius.MapPost("/accounting", RadiusApi.AccountingAsync);
    }

    public IEnumerable<System.CommandLine.Command> Commands(CliServices cli) => [RadiusCommands.Create(cli)];
}
