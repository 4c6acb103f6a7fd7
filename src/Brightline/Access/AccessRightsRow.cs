using Brightline.Data.Entities;

namespace Brightline.Access;

/// <summary>One person's access rights as the register shows them (O17).</summary>
/// <param name="Roles">Portal roles held at the school (SchoolMembership), in words.</param>
/// <param name="Login">"Allowed", or "Refused: why" as the access gate decides it now.</param>
/// <param name="Network">The networks the person's groups join (network.networks of kind people), or the gate's refusal.</param>
/// <param name="Internet">"Allowed", or "Refused: why".</param>
/// <param name="OpenReports">Open reports of access granted in error about the person (security incidents).</param>
/// <param name="RecentChanges">The latest role changes to the person's account ("dd/MM/yyyy: granted …").</param>
public sealed record AccessRightsRow(
    Guid PersonId, string Name, string Groups, IReadOnlyList<string> Roles, string Login, string Network, string Internet,
    IReadOnlyList<Incident> OpenReports, IReadOnlyList<string> RecentChanges);
