using Brightline.Data.Entities;

namespace Brightline.Sanctions;

public sealed record ImposeSanction(
    string SchoolId, Guid PersonId, SanctionKind Kind, string? Reason, DateTimeOffset? EndsAt, IReadOnlyList<string> Categories, string Actor,
    string? ReasonKey = null);
