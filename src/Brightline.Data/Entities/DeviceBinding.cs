using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A device address bound to the person who signed in to the portal from it, until a time (issue 3,
/// section 2): the DNS filter applies that person's profile and access-gate answer to the address.
/// Stored so that a DNS filter running as its own process (<c>brightline dns</c>) sees sign-ins and
/// sign-outs made in the portal process; each process also keeps its own copy in memory.
/// </summary>
public sealed class DeviceBinding
{
    /// <summary>The device's address as text (an IPv4-mapped IPv6 address is stored as IPv4). One binding per address.</summary>
    public required string Address { get; set; }
    public required string SchoolId { get; set; }
    public Guid PersonId { get; set; }
    public DateTimeOffset BoundAt { get; set; }
    /// <summary>When the binding lapses (sign-in time plus the policy's <c>sign_in_binding_minutes</c>).</summary>
    public DateTimeOffset Until { get; set; }
    /// <summary>The policy's network the device is on (RADIUS accounting), for its location rules; null for a portal sign-in.</summary>
    public string? Network { get; set; }
}

public sealed class DeviceBindingConfiguration : IEntityTypeConfiguration<DeviceBinding>
{
    public void Configure(EntityTypeBuilder<DeviceBinding> e)
    {
        e.ToTable("device_bindings");
        e.HasKey(x => x.Address);
        e.Property(x => x.Address).HasMaxLength(45);
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Network).HasMaxLength(64);
        e.HasIndex(x => x.Until);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);

        // Erasing a person takes their live bindings with them.
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
