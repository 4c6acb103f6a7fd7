using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Brightline.Loans;

/// <summary>The loan book (issue 14 point 3; C15): the kiosk and list pages, the API and the end-of-day overdue email (docs/devices.md).</summary>
public sealed class LoansModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddScoped<LoanBook>();
        services.TryAddScoped<LoanOverdue>();
        services.AddHostedService<LoanOverdueWorker>();
    }

    public IEnumerable<System.CommandLine.Command> Commands(CliServices cli) => [LoansCommands.Create(cli)];

    public void MapEndpoints(WebApplication app)
    {
        var api = app.MapGroup(LoanApi.Prefix).RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);
        api.MapGet("", LoanApi.ListAsync);
        api.MapPost("", LoanApi.SignOutAsync);
        api.MapPost("/{id:long}/return", LoanApi.ReturnAsync);
        app.MapGet(KioskScript.Path, () => Results.Text(KioskScript.Text, "text/javascript; charset=utf-8"))
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = PortalRoles.LoanStaffNames });
    }
}
