namespace Brightline.People;

public sealed record ImportChange(int Row, string Action, string ExternalId, string Name, string? Detail);
