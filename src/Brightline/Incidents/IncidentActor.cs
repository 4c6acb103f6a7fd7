using Brightline.Data.Entities;
using Brightline.Portal;

namespace Brightline.Incidents;

/// <summary>Who is asking: the portal user's name, their person record and roles at the school.</summary>
public sealed record IncidentActor(string UserName, Guid? PersonId, IReadOnlyList<string> Roles, string? ClientAddress = null)
{
    public static IncidentActor From(PortalScope scope) => new(scope.UserName, scope.PersonId, scope.Roles, scope.ClientAddress);
}
