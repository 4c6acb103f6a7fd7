using Brightline.Data.Entities;

namespace Brightline.Sanctions;

public sealed record PersonSanctionsView(Guid PersonId, string GivenName, IReadOnlyList<Sanction> Sanctions, DateTimeOffset Now);
