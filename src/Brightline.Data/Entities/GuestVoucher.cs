using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A guest Wi-Fi voucher (issue 13; O22: visitors use the Wi-Fi only with the Head's authorisation, for official
/// capacity or a visit's purpose): a generated user name and password for the guest network, valid for a time.
/// Only the password's hash is kept; the issuer sees the password once, on the printable card.
/// </summary>
public sealed class GuestVoucher
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    public required string VisitorName { get; set; }
    public required string Purpose { get; set; }
    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset ValidUntil { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public required string IssuedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}

public sealed class GuestVoucherConfiguration : IEntityTypeConfiguration<GuestVoucher>
{
    public void Configure(EntityTypeBuilder<GuestVoucher> e)
    {
        e.ToTable("guest_vouchers");
        e.HasKey(x => x.Id);
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.UserName).HasMaxLength(32);
        e.Property(x => x.PasswordHash).HasMaxLength(256);
        e.Property(x => x.VisitorName).HasMaxLength(200);
        e.Property(x => x.Purpose).HasMaxLength(500);
        e.Property(x => x.IssuedBy).HasMaxLength(256);
        e.Property(x => x.RevokedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.UserName }).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.ValidUntil });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
