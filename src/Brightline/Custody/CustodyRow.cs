using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

public sealed record CustodyRow(CustodyItem Item, CustodyStepKind? LastKind, DateTimeOffset? LastAt, string? LastReceiver);
