using Brightline.Data.Entities;

namespace Brightline.Agreements;

/// <summary>One reminder email: to one parent or carer, about each of their children's countersignatures still waiting.</summary>
public sealed record ChaseLetter(Person Parent, IReadOnlyList<ChaseItem> Items);
