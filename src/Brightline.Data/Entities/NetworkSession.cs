using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// One network session as RADIUS accounting reports it (issue 13): who (a person, or only the user name a device or
/// guest signed in with), on which NAS and network, from which MAC and address, since when. The Network page lists
/// the live ones; Disconnect-Request needs the NAS that holds a person's session. A session is keyed by its NAS and
/// Acct-Session-Id (RFC 2866 §5.5: unique per NAS, not across NASes). It ends with Stop, with its NAS's
/// Accounting-On/Off (the NAS restarted), or by a disconnect; one whose NAS falls silent lapses after the policy's
/// <c>max_session_hours</c>. Ended sessions are kept 30 days.
/// </summary>
public sealed class NetworkSession
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The NAS as it names itself: NAS-IP-Address, else NAS-Identifier (one of them is required by RFC 2865 §5.4).</summary>
    public required string Nas { get; set; }
    /// <summary>NAS-IP-Address, where Disconnect-Request is sent; null when the NAS sent only an identifier.</summary>
    public string? NasAddress { get; set; }
    public string? NasIdentifier { get; set; }
    public required string AcctSessionId { get; set; }
    /// <summary>The network's name in the policy, when the request named one the policy knows.</summary>
    public string? Network { get; set; }
    /// <summary>The User-Name the session signed in with (an account, a device's MAC, a voucher).</summary>
    public required string UserName { get; set; }
    /// <summary>The person, when the user name is one of the school's accounts.</summary>
    public Guid? PersonId { get; set; }
    /// <summary>Calling-Station-Id: the device's MAC address as the NAS gave it.</summary>
    public string? Mac { get; set; }
    public string? Address { get; set; }
    /// <summary>The VLAN Brightline gave when this session was accepted, where known.</summary>
    public string? Vlan { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>The last Start or Interim-Update.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Why it ended: <c>stop</c> (with the NAS's Acct-Terminate-Cause when sent), <c>nas-restart</c>, <c>disconnected</c>.</summary>
    public string? EndReason { get; set; }
}

public sealed class NetworkSessionConfiguration : IEntityTypeConfiguration<NetworkSession>
{
    public void Configure(EntityTypeBuilder<NetworkSession> e)
    {
        e.ToTable("network_sessions");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Nas).HasMaxLength(253);
        e.Property(x => x.NasAddress).HasMaxLength(45);
        e.Property(x => x.NasIdentifier).HasMaxLength(253);
        e.Property(x => x.AcctSessionId).HasMaxLength(253);
        e.Property(x => x.Network).HasMaxLength(64);
        e.Property(x => x.UserName).HasMaxLength(253);
        e.Property(x => x.Mac).HasMaxLength(64);
        e.Property(x => x.Address).HasMaxLength(45);
        e.Property(x => x.Vlan).HasMaxLength(32);
        e.Property(x => x.EndReason).HasMaxLength(64);
        e.HasIndex(x => new { x.SchoolId, x.Nas, x.AcctSessionId }).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.EndedAt });
        e.HasIndex(x => new { x.SchoolId, x.PersonId });
        e.HasIndex(x => x.UpdatedAt);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);

        // Erasing a person takes the record of their sessions with them.
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
