using Brightline.AccessChanges;
using Brightline.Access;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

public sealed record ImposeSanction(
    string SchoolId, Guid PersonId, SanctionKind Kind, string? Reason, DateTimeOffset? EndsAt, IReadOnlyList<string> Categories, string Actor);
