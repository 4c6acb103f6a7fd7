using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A network sign-in Brightline refused (issue 13), for the Network page's recent rejects and the person's page: the
/// user name as given, the device's MAC, the network, the reason's code and its words. Never the password. Kept 30
/// days and capped per school, because anyone in range of the Wi-Fi can make rejects at will.
/// </summary>
public sealed class NetworkReject
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string UserName { get; set; }
    /// <summary>The person, when the user name is one of the school's accounts.</summary>
    public Guid? PersonId { get; set; }
    public string? Mac { get; set; }
    public string? Network { get; set; }
    public required string Code { get; set; }
    public required string Message { get; set; }
}

public sealed class NetworkRejectConfiguration : IEntityTypeConfiguration<NetworkReject>
{
    public void Configure(EntityTypeBuilder<NetworkReject> e)
    {
        e.ToTable("network_rejects");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.UserName).HasMaxLength(253);
        e.Property(x => x.Mac).HasMaxLength(64);
        e.Property(x => x.Network).HasMaxLength(64);
        e.Property(x => x.Code).HasMaxLength(64);
        e.Property(x => x.Message).HasMaxLength(500);
        e.HasIndex(x => new { x.SchoolId, x.At });
        e.HasIndex(x => new { x.SchoolId, x.PersonId, x.At });
        e.HasIndex(x => x.At);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
