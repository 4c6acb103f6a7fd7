using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A school's enrolment key for the browser extension (issue 12): the IT provider puts it in the managed
/// policy, and every extension that presents it may enrol the school's own people. Shown once; only its
/// SHA-256 is kept. A revoked key enrols nobody and its tokens stop working.
/// </summary>
public sealed class ExtensionEnrolmentKey
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>SHA-256 of the key, lowercase hex.</summary>
    public required string KeyHash { get; set; }
    /// <summary>The key's first characters, so staff can tell keys apart without it being usable.</summary>
    public required string KeyPrefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
}

/// <summary>
/// One enrolled browser: a person on a device, with the bearer token the extension sends to the decision
/// API. A shared device has one row per account that used it; enrolling again replaces that row's token.
/// </summary>
public sealed class ExtensionToken
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid KeyId { get; set; }
    public Guid PersonId { get; set; }
    /// <summary>The extension's own random ID for its browser profile (not a hardware identifier).</summary>
    public required string DeviceId { get; set; }
    public required string DeviceName { get; set; }
    /// <summary>SHA-256 of the token, lowercase hex.</summary>
    public required string TokenHash { get; set; }
    public required string TokenPrefix { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    /// <summary>The extension's last heartbeat (issue 12, point 6: tamper evidence); null until the first.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; set; }
    /// <summary>
    /// When the current silence was alerted; null while the browser keeps its heartbeat. A heartbeat clears it, so
    /// each silence raises one alert, however long it lasts.
    /// </summary>
    public DateTimeOffset? SilenceAlertedAt { get; set; }
    /// <summary>When the browser reported that the extension was removed (its uninstall address was opened).</summary>
    public DateTimeOffset? RemovedAt { get; set; }

    /// <summary>
    /// The register's device this browser runs on (issue 14, F7), matched at enrolment by the serial number or asset ID a
    /// managed Chromebook reports; null when it reported neither or the register has no such device. A lost or stolen
    /// report revokes the tokens of the device's browsers.
    /// </summary>
    public Guid? RegisterDeviceId { get; set; }
}

public sealed class ExtensionEnrolmentKeyConfiguration : IEntityTypeConfiguration<ExtensionEnrolmentKey>
{
    public void Configure(EntityTypeBuilder<ExtensionEnrolmentKey> e)
    {
        e.ToTable("extension_enrolment_keys");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.KeyHash).HasMaxLength(64);
        e.Property(x => x.KeyPrefix).HasMaxLength(16);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.Property(x => x.RevokedBy).HasMaxLength(256);
        e.HasIndex(x => x.KeyHash).IsUnique();
        e.HasIndex(x => x.SchoolId);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ExtensionTokenConfiguration : IEntityTypeConfiguration<ExtensionToken>
{
    public void Configure(EntityTypeBuilder<ExtensionToken> e)
    {
        e.ToTable("extension_tokens");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.DeviceId).HasMaxLength(100);
        e.Property(x => x.DeviceName).HasMaxLength(200);
        e.Property(x => x.TokenHash).HasMaxLength(64);
        e.Property(x => x.TokenPrefix).HasMaxLength(16);
        e.Property(x => x.RevokedBy).HasMaxLength(256);
        e.HasIndex(x => x.TokenHash).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.DeviceId, x.PersonId }).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.RegisterDeviceId });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.RegisterDeviceId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<ExtensionEnrolmentKey>().WithMany().HasForeignKey(x => x.KeyId).OnDelete(DeleteBehavior.Restrict);

        // Erasing a person takes their browser enrolments with them.
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}
