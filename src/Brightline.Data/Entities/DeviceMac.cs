using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// One MAC address of a registered device (issue 14; O21, C3). <see cref="Device.Macs"/> keeps the addresses for the
/// register's screens; this table is their index for MAC authentication — one indexed lookup per sign-in instead of a
/// LIKE over every device — and makes a MAC unique in the school. The register writes both in the same SaveChanges.
/// </summary>
public sealed class DeviceMac
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>Lower-case, colon-separated (aa:bb:cc:dd:ee:ff).</summary>
    public required string Mac { get; set; }
    public Guid DeviceId { get; set; }
}

public sealed class DeviceMacConfiguration : IEntityTypeConfiguration<DeviceMac>
{
    public void Configure(EntityTypeBuilder<DeviceMac> e)
    {
        e.ToTable("device_macs");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Mac).HasMaxLength(17);
        e.HasIndex(x => new { x.SchoolId, x.Mac }).IsUnique();
        e.HasIndex(x => x.DeviceId);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}
