using Brightline.Access;
using Brightline.Agreements;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Demo;
using Brightline.Email;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Hosting;

/// <summary>The server's table of contents: which features are registered and mapped, in order.</summary>
/// <remarks>Features must register with TryAdd where a caller may have replaced a service in <c>configure</c>.</remarks>
public static class PortalHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Static files and appsettings ship beside the binary, so the portal runs from any directory.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Callers (tests, the CLI) adjust configuration and replace services such as the clock first,
        // because features read their options while they register.
        configure?.Invoke(builder);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddBrightlineData(builder.Configuration);
        builder.Services.AddAudit();
        builder.Services.AddEmail(builder.Configuration);
        builder.Services.AddPolicies();
        builder.Services.AddPeople();
        builder.Services.AddAgreements(builder.Configuration);
        builder.Services.AddAccessGate(builder.Configuration);
        Sanctions.SanctionSetup.AddSanctions(builder.Services);
        Incidents.IncidentsSetup.AddIncidents(builder.Services, builder.Configuration);
        Filtering.Host.FilteringSetup.AddFiltering(builder.Services, builder.Configuration);
        Custody.CustodySetup.AddCustody(builder.Services);
        Reports.ReportsSetup.AddReports(builder.Services);
        Monitoring.Host.MonitoringSetup.AddMonitoring(builder.Services, builder.Configuration);
        Approvals.ApprovalsSetup.AddApprovals(builder.Services, builder.Configuration);
        BrowserExtension.BrowserExtensionModule.AddBrowserExtension(builder.Services);
        builder.Services.AddDemo(builder.Configuration);
        builder.Services.AddPortal(builder.Configuration);

        var app = builder.Build();
        app.UseTransportSecurity();
        app.UseBrightlineErrors();
        Filtering.Host.BlockPageSetup.UseBlockPage(app);
        app.UsePortal();
        app.MapPeopleApi();
        app.MapAgreementsApi();
        app.MapAccessApi();
        Monitoring.Host.IngestionApi.MapMonitoringApi(app);
        Approvals.ApprovalsSetup.MapApprovalsApi(app);
        BrowserExtension.BrowserExtensionModule.MapBrowserExtension(app);
        app.MapPortal();
        return app;
    }

    /// <summary>Applies pending migrations; every entry point calls this before touching data.</summary>
    public static Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        DatabaseMigrator.MigrateAsync(services, cancellationToken);
}
