namespace Brightline.Network;

/// <summary>A request to issue a guest voucher (O22): for whom, why, and for when.</summary>
public sealed record IssueVoucher(string SchoolId, string VisitorName, string Purpose, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, string Actor, string? ClientAddress);
