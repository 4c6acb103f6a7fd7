using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A registered school device that may join a school-devices network by MAC authentication (issue 13; O21, C3). The
/// minimal list until the device register (issue 14) replaces it: the register can keep this table's rows (school,
/// MAC, name, group) or answer the same question — "is this MAC one of the school's, and in which group?" — itself.
/// </summary>
public sealed class NetworkDevice
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>Lower-case, colon-separated (aa:bb:cc:dd:ee:ff): every way a controller writes a MAC compares equal.</summary>
    public required string Mac { get; set; }
    public required string Name { get; set; }
    /// <summary>One of the policy's <c>network.device_groups</c>; decides the VLAN on a school-devices network.</summary>
    public required string DeviceGroup { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public required string AddedBy { get; set; }
    /// <summary>Where the row came from, e.g. <c>csv:ipads.csv</c>.</summary>
    public required string Source { get; set; }
}

public sealed class NetworkDeviceConfiguration : IEntityTypeConfiguration<NetworkDevice>
{
    public void Configure(EntityTypeBuilder<NetworkDevice> e)
    {
        e.ToTable("network_devices");
        e.HasKey(x => x.Id);
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Mac).HasMaxLength(17);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.DeviceGroup).HasMaxLength(64);
        e.Property(x => x.AddedBy).HasMaxLength(256);
        e.Property(x => x.Source).HasMaxLength(300);
        e.HasIndex(x => new { x.SchoolId, x.Mac }).IsUnique();
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
