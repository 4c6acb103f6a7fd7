namespace Brightline.Incidents;

/// <summary>O11: material deleted from a device — what, why and on whose authority.</summary>
public sealed record MaterialDeletion(string? What, string? Why, string? AuthorisedBy);
