namespace Brightline.DeviceRequests;

/// <summary>Who is asking or deciding, as the portal knows them: their account, their person record and their roles at the school.</summary>
public sealed record DeviceRequestActor(string SchoolId, string UserId, string UserName, string DisplayName, string? Email, Guid? PersonId, IReadOnlyList<string> Roles)
{
    public bool Holds(string role) => Roles.Contains(role, StringComparer.Ordinal);
}
