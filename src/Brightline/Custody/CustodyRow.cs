using Brightline.Data.Entities;

namespace Brightline.Custody;

public sealed record CustodyRow(CustodyItem Item, CustodyStepKind? LastKind, DateTimeOffset? LastAt, string? LastReceiver);
