using Brightline.Data.Entities;

namespace Brightline.Network;

/// <summary>A voucher just issued, with its password in clear: shown once on the printable card, never stored.</summary>
public sealed record IssuedVoucher(GuestVoucher Voucher, string Password);
