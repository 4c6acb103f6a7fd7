namespace Brightline.Custody;

public sealed record NewCustodyItem(
    string? Description, string? SerialOrTag, Guid? OwnerPersonId, Guid? IncidentId, string? Origin, string? Reason,
    string? StoragePlace, string? Note, string? Password);
