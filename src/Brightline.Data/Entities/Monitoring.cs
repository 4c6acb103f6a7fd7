using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Safeguarding monitoring (issue 4, sections 2 and 3): devices that post activity, the events they
// post, the alerts scored from them and each alert's timeline (who was told, who opened it, outcome).

/// <summary>Whether an alert still needs an outcome.</summary>
public enum MonitoringAlertStatus
{
    Open,
    Closed,
}

public static class MonitoringAlertStatuses
{
    public static readonly StoredWords<MonitoringAlertStatus> Words = new("monitoring_alerts.Status",
        (MonitoringAlertStatus.Open, "open"),
        (MonitoringAlertStatus.Closed, "closed"));

    public static string Key(this MonitoringAlertStatus status) => Words.Word(status);
}

/// <summary>What was decided about an alert; recording one closes it.</summary>
public enum AlertOutcome
{
    FalsePositive,
    NoAction,
    Escalated,
    Resolved,
}

public static class AlertOutcomes
{
    public static readonly StoredWords<AlertOutcome> Words = new("monitoring_alerts.Outcome",
        (AlertOutcome.FalsePositive, "false-positive"),
        (AlertOutcome.NoAction, "no-action"),
        (AlertOutcome.Escalated, "escalated"),
        (AlertOutcome.Resolved, "resolved"));

    public static IReadOnlyList<AlertOutcome> All => Words.All;

    public static string Key(this AlertOutcome outcome) => Words.Word(outcome);
}

/// <summary>What an alert's timeline entry records.</summary>
public enum AlertEntryKind
{
    Notified,
    Opened,
    Note,
    Outcome,
    Grouped,

    /// <summary>
    /// A role the policy's <c>monitoring.categories.&lt;id&gt;.notify</c> names was emailed (H12: security misuse to IT
    /// support). Separate from <see cref="Notified"/>, which means the DSL's critical email went out: a category email
    /// must never stop that one.
    /// </summary>
    CategoryNotified,
}

public static class AlertEntryKinds
{
    public static readonly StoredWords<AlertEntryKind> Words = new("monitoring_alert_entries.Kind",
        (AlertEntryKind.Notified, "notified"),
        (AlertEntryKind.Opened, "opened"),
        (AlertEntryKind.Note, "note"),
        (AlertEntryKind.Outcome, "outcome"),
        (AlertEntryKind.Grouped, "grouped"),
        (AlertEntryKind.CategoryNotified, "category-sent"));

    public static string Key(this AlertEntryKind kind) => Words.Word(kind);
}

/// <summary>What a device saw, as it posted it to the ingestion API (the same words as the API's <c>kind</c>).</summary>
public enum MonitoringEventKind
{
    Url,
    Search,
    TypedText,
    Application,
    Screenshot,
    /// <summary>Email content (its text in <c>text</c>); H17: shown in the portal only under a recorded permission.</summary>
    Email,
}

public static class MonitoringEventKinds
{
    public static readonly StoredWords<MonitoringEventKind> Words = new("monitoring_events.Kind",
        (MonitoringEventKind.Url, "url"),
        (MonitoringEventKind.Search, "search"),
        (MonitoringEventKind.TypedText, "typed-text"),
        (MonitoringEventKind.Application, "application"),
        (MonitoringEventKind.Screenshot, "screenshot"),
        (MonitoringEventKind.Email, "email"));

    public static string Key(this MonitoringEventKind kind) => Words.Word(kind);
}

/// <summary>A device or agent allowed to post activity. Only the SHA-256 of its bearer token is stored.</summary>
public sealed class MonitoringDevice
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the token, lowercase hex.</summary>
    public required string TokenHash { get; set; }
    /// <summary>The token's first characters, so staff can tell tokens apart without it being usable.</summary>
    public required string TokenPrefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
}

/// <summary>
/// One activity event as a device posted it. (SchoolId, DeviceId, ClientEventId) is unique, which is
/// what makes re-sending a batch harmless.
/// </summary>
public sealed class MonitoringEvent
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid DeviceId { get; set; }
    /// <summary>The device's own ID for the event.</summary>
    public required string ClientEventId { get; set; }
    public required MonitoringEventKind Kind { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public Guid? PersonId { get; set; }
    public string? ClientAddress { get; set; }
    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Query { get; set; }
    public string? Text { get; set; }
    public string? Application { get; set; }
    /// <summary>image/png or image/jpeg; null when no screenshot was sent (or it was purged).</summary>
    public string? ScreenshotType { get; set; }
    public byte[]? Screenshot { get; set; }
    /// <summary>When the event was scanned for alerts; null until then.</summary>
    public DateTimeOffset? ScannedAt { get; set; }
}

/// <summary>A safeguarding concern raised from one or more events of one person (or device) in one category.</summary>
public sealed class MonitoringAlert
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid? PersonId { get; set; }
    public Guid DeviceId { get; set; }
    public required string Category { get; set; }
    /// <summary>low, medium, high or critical.</summary>
    public required string Severity { get; set; }
    /// <summary>Numeric severity (0 low … 3 critical) for ordering and filtering.</summary>
    public int SeverityRank { get; set; }
    /// <summary>Closed once an outcome is recorded.</summary>
    public required MonitoringAlertStatus Status { get; set; }
    public int Score { get; set; }
    public int HitCount { get; set; }
    public DateTimeOffset FirstAt { get; set; }
    public DateTimeOffset LastAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The phrase of the most serious hit.</summary>
    public required string Phrase { get; set; }
    /// <summary>A window of the original text around the most serious hit (captured content; purged after retention).</summary>
    public string? Context { get; set; }
    public int HighlightStart { get; set; }
    public int HighlightLength { get; set; }
    /// <summary>Where the text came from: title, query or text.</summary>
    public string? Source { get; set; }
    public string? Url { get; set; }
    public long EventId { get; set; }
    /// <summary>The event holding the screenshot captured with the alert, if any.</summary>
    public long? ScreenshotEventId { get; set; }
    public DateTimeOffset? OpenedAt { get; set; }
    public string? OpenedBy { get; set; }
    /// <summary>How far down the escalation list the alert has gone (0 = the immediate recipients).</summary>
    public int EscalationLevel { get; set; }
    /// <summary>When the next escalation is due; null when none is (not critical, opened, or list exhausted).</summary>
    public DateTimeOffset? EscalateAt { get; set; }
    /// <summary>Null while open.</summary>
    public AlertOutcome? Outcome { get; set; }
    public string? OutcomeNote { get; set; }
    public string? OutcomeBy { get; set; }
    public DateTimeOffset? OutcomeAt { get; set; }
}

/// <summary>The alert's timeline: notified (who was told when), opened, note, outcome, grouped hit.</summary>
public sealed class MonitoringAlertEntry
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public long AlertId { get; set; }
    public DateTimeOffset At { get; set; }
    public required AlertEntryKind Kind { get; set; }
    public required string Actor { get; set; }
    public string? Recipient { get; set; }
    public string? Role { get; set; }
    public string? Note { get; set; }
}

public sealed class MonitoringDeviceConfiguration : IEntityTypeConfiguration<MonitoringDevice>
{
    public void Configure(EntityTypeBuilder<MonitoringDevice> e)
    {
        e.ToTable("monitoring_devices");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.TokenHash).HasMaxLength(64);
        e.Property(x => x.TokenPrefix).HasMaxLength(16);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.Property(x => x.RevokedBy).HasMaxLength(256);
        e.HasIndex(x => x.TokenHash).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.Name });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class MonitoringEventConfiguration : IEntityTypeConfiguration<MonitoringEvent>
{
    public void Configure(EntityTypeBuilder<MonitoringEvent> e)
    {
        e.ToTable("monitoring_events");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.ClientEventId).HasMaxLength(100);
        e.Property(x => x.Kind).HasConversion(MonitoringEventKinds.Words.Converter).HasMaxLength(16);
        e.Property(x => x.ClientAddress).HasMaxLength(64);
        e.Property(x => x.Url).HasMaxLength(2048);
        e.Property(x => x.Title).HasMaxLength(1000);
        e.Property(x => x.Query).HasMaxLength(1000);
        e.Property(x => x.Application).HasMaxLength(200);
        e.Property(x => x.ScreenshotType).HasMaxLength(16);
        e.HasIndex(x => new { x.SchoolId, x.DeviceId, x.ClientEventId }).IsUnique();
        // Only the events still to be scored, in ID order: the worker's "next chunk" query reads this
        // directly, instead of walking past every scored row by primary key (which grew with the table).
        e.HasIndex(x => x.Id, "IX_monitoring_events_Unscanned").HasFilter("\"ScannedAt\" IS NULL");
        e.HasIndex(x => new { x.SchoolId, x.PersonId, x.OccurredAt });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MonitoringDevice>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class MonitoringAlertConfiguration : IEntityTypeConfiguration<MonitoringAlert>
{
    public void Configure(EntityTypeBuilder<MonitoringAlert> e)
    {
        e.ToTable("monitoring_alerts");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Category).HasMaxLength(64);
        e.Property(x => x.Severity).HasMaxLength(16);
        e.Property(x => x.Status).HasConversion(MonitoringAlertStatuses.Words.Converter).HasMaxLength(16);
        e.Property(x => x.Phrase).HasMaxLength(300);
        e.Property(x => x.Source).HasMaxLength(16);
        e.Property(x => x.Url).HasMaxLength(2048);
        e.Property(x => x.OpenedBy).HasMaxLength(256);
        e.Property(x => x.Outcome).HasConversion(AlertOutcomes.Words.Converter).HasMaxLength(32);
        e.Property(x => x.OutcomeNote).HasMaxLength(4000);
        e.Property(x => x.OutcomeBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.Status, x.SeverityRank });
        e.HasIndex(x => new { x.SchoolId, x.PersonId, x.Category, x.LastAt });
        e.HasIndex(x => x.EscalateAt);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MonitoringEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class MonitoringAlertEntryConfiguration : IEntityTypeConfiguration<MonitoringAlertEntry>
{
    public void Configure(EntityTypeBuilder<MonitoringAlertEntry> e)
    {
        e.ToTable("monitoring_alert_entries");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion(AlertEntryKinds.Words.Converter).HasMaxLength(16);
        e.Property(x => x.Actor).HasMaxLength(256);
        e.Property(x => x.Recipient).HasMaxLength(256);
        e.Property(x => x.Role).HasMaxLength(64);
        e.Property(x => x.Note).HasMaxLength(4000);
        e.HasIndex(x => new { x.AlertId, x.At });
        e.HasOne<MonitoringAlert>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
    }
}
