using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Sanctions;

public sealed record PersonSanctionsView(Guid PersonId, string GivenName, IReadOnlyList<Sanction> Sanctions, DateTimeOffset Now);
