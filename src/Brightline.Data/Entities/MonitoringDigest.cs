using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// The weekly monitoring digest (issue 4, C10): one row per school and week once the digest has gone,
// so a restart never sends the same week twice.

/// <summary>How the weekly digest's report went out.</summary>
public enum DigestFormat
{
    Pdf,
    /// <summary>The HTML page, when Chromium was unavailable to print it.</summary>
    Html,
}

public static class DigestFormats
{
    public static readonly StoredWords<DigestFormat> Words = new("monitoring_digests.Format",
        (DigestFormat.Pdf, "pdf"),
        (DigestFormat.Html, "html"));

    public static string Key(this DigestFormat format) => Words.Word(format);
}

/// <summary>A weekly digest that was sent: the week it covers, how many alerts and recipients, and the report format.</summary>
public sealed class MonitoringDigest
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>Start of the week covered (UTC, inclusive).</summary>
    public DateTimeOffset PeriodStart { get; set; }
    /// <summary>The scheduled send time the digest belongs to (UTC): the end of the week covered, exclusive.</summary>
    public DateTimeOffset PeriodEnd { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public int AlertCount { get; set; }
    public int RecipientCount { get; set; }
    public required DigestFormat Format { get; set; }
}

public sealed class MonitoringDigestConfiguration : IEntityTypeConfiguration<MonitoringDigest>
{
    public void Configure(EntityTypeBuilder<MonitoringDigest> e)
    {
        e.ToTable("monitoring_digests");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Format).HasConversion(DigestFormats.Words.Converter).HasMaxLength(8);
        e.HasIndex(x => new { x.SchoolId, x.PeriodEnd }).IsUnique();
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Where an H17 content permission stands.</summary>
public enum ContentPermissionState
{
    Requested,
    Granted,
    Declined,
}

public static class ContentPermissionStates
{
    public static readonly StoredWords<ContentPermissionState> Words = new("monitoring_content_permissions.Status",
        (ContentPermissionState.Requested, "requested"),
        (ContentPermissionState.Granted, "granted"),
        (ContentPermissionState.Declined, "declined"));

    public static string Key(this ContentPermissionState state) => Words.Word(state);
}

/// <summary>
/// H17: a recorded permission for one member of staff to inspect one person's stored email content,
/// asked for with a reason and granted (or declined) by the head or the bursar, for a limited time.
/// </summary>
public sealed class MonitoringContentPermission
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>Whose content may be inspected.</summary>
    public Guid PersonId { get; set; }
    /// <summary>The portal user who asked, and who alone may use the permission.</summary>
    public required string RequestedBy { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    /// <summary>How long the permission lasts once granted.</summary>
    public int Days { get; set; }
    public required ContentPermissionState Status { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
}

public sealed class MonitoringContentPermissionConfiguration : IEntityTypeConfiguration<MonitoringContentPermission>
{
    public void Configure(EntityTypeBuilder<MonitoringContentPermission> e)
    {
        e.ToTable("monitoring_content_permissions");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.RequestedBy).HasMaxLength(256);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.Status).HasConversion(ContentPermissionStates.Words.Converter).HasMaxLength(16);
        e.Property(x => x.DecidedBy).HasMaxLength(256);
        e.Property(x => x.DecisionNote).HasMaxLength(2000);
        e.HasIndex(x => new { x.SchoolId, x.PersonId, x.RequestedBy, x.Status });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
