using System.CommandLine;
using Brightline.Data;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy.Model;
using Brightline.Portal;

namespace Brightline.Access;

public sealed class AccessModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AccessGate>();
        services.AddScoped<AccessRightsRegister>();
    }

    public void MapEndpoints(WebApplication app)
    {
        app.MapGet("/api/v1/people/{id}/access", async (string id, string? school, BrightlineDbContext db, AccessGate gate, CancellationToken ct) =>
        {
            var person = await ApiPeople.FindAsync(db, id, school, ct);
            var decision = await gate.EvaluateAsync(person.SchoolId, person.Id, ct);
            return Results.Ok(ToJson(decision));
        }).RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);
    }

    internal static object ToJson(AccessDecision decision)
    {
        object Item(AccessKind kind)
        {
            var item = decision.Items.First(i => i.Access == kind);
            return new
            {
                allowed = item.Allowed,
                reasons = item.Reasons.Select(r => new { code = r.Code, message = r.Message, agreementId = r.AgreementId, since = r.Since }),
            };
        }

        return new
        {
            personId = decision.PersonId,
            name = decision.PersonName,
            evaluatedAt = decision.EvaluatedAt,
            login = Item(AccessKind.Login),
            network = Item(AccessKind.Network),
            internet = Item(AccessKind.Internet),
        };
    }

    public IEnumerable<Command> Commands(CliServices cli) => [AccessCommands.Create(cli)];
}
