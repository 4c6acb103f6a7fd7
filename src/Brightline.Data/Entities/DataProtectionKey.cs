using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// One key of ASP.NET Data Protection's key ring (the XML element the framework writes), kept in the database so every
/// portal node protects and reads sign-in cookies, antiforgery tokens and block-page tickets with the same keys: a
/// cookie issued by one node is accepted by the next behind the load balancer. The XML holds the key material itself,
/// so the table is as secret as the database (see docs/security.md).
/// </summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    /// <summary>The framework's name for the element ("key-&lt;guid&gt;").</summary>
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}

public sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> e)
    {
        e.ToTable("data_protection_keys");
        e.Property(x => x.FriendlyName).HasMaxLength(256);
    }
}
