using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// The incident register's core (issue 5, section 1). Records are evidence: an incident's timeline is
// append-only, and a correction is a new entry that names the one it corrects.
// The kind of incident is the policy's vocabulary (its registers), so it stays a string; the status, the
// timeline entry kinds and the link kinds are Brightline's own closed sets, stored as the words they always were.

/// <summary>Where an incident stands.</summary>
public enum IncidentStatus
{
    Open,
    Investigating,
    Referred,
    Closed,
}

public static class IncidentStatuses
{
    public static readonly StoredWords<IncidentStatus> Words = new("incidents.Status",
        (IncidentStatus.Open, "open"),
        (IncidentStatus.Investigating, "investigating"),
        (IncidentStatus.Referred, "referred"),
        (IncidentStatus.Closed, "closed"));

    public static IReadOnlyList<IncidentStatus> All => Words.All;

    public static string Key(this IncidentStatus status) => Words.Word(status);
}

/// <summary>What a timeline entry records; the text says the rest.</summary>
public enum IncidentEntryKind
{
    /// <summary>
    /// First on purpose: the column has a database default ('note', V0009), and EF leaves out a value equal to
    /// the CLR default (0) so that the database default applies. With Note as 0 that is the same word; any other
    /// member as 0 would silently be stored as a note.
    /// </summary>
    Note,
    Report,
    Status,
    Outcome,
    IcoDecision,
    Link,
    Attachment,
    Notified,
    Serious,
    Person,
    /// <summary>O11: a pupil's device was searched — which device, who searched, who authorised it, when, what was found.</summary>
    DeviceSearched,
    /// <summary>O11: material was deleted from a device — what, why and who authorised it.</summary>
    MaterialDeleted,
}

public static class IncidentEntryKinds
{
    public static readonly StoredWords<IncidentEntryKind> Words = new("incident_entries.Kind",
        (IncidentEntryKind.Note, "note"),
        (IncidentEntryKind.Report, "report"),
        (IncidentEntryKind.Status, "status"),
        (IncidentEntryKind.Outcome, "outcome"),
        (IncidentEntryKind.IcoDecision, "ico_decision"),
        (IncidentEntryKind.Link, "link"),
        (IncidentEntryKind.Attachment, "attachment"),
        (IncidentEntryKind.Notified, "notified"),
        (IncidentEntryKind.Serious, "serious"),
        (IncidentEntryKind.Person, "person"),
        (IncidentEntryKind.DeviceSearched, "device_searched"),
        (IncidentEntryKind.MaterialDeleted, "material_deleted"));

    public static string Key(this IncidentEntryKind kind) => Words.Word(kind);
}

/// <summary>
/// F4: for a personal data breach that was an email sent in error, where the personal data was and whether the
/// attachment carrying it was encrypted. Null on the incident: not an email sent in error, or not recorded.
/// </summary>
public enum MisdirectedEmail
{
    /// <summary>The personal data was in the email itself, not in an attachment.</summary>
    NoAttachment,
    /// <summary>In an attachment that was encrypted.</summary>
    AttachmentEncrypted,
    /// <summary>In an attachment that was not encrypted (F4 asks that sensitive attachments are).</summary>
    AttachmentNotEncrypted,
    /// <summary>In an attachment; whether it was encrypted is not known.</summary>
    AttachmentEncryptionNotKnown,
}

public static class MisdirectedEmails
{
    public static readonly StoredWords<MisdirectedEmail> Words = new("incidents.MisdirectedEmail",
        (MisdirectedEmail.NoAttachment, "no_attachment"),
        (MisdirectedEmail.AttachmentEncrypted, "encrypted"),
        (MisdirectedEmail.AttachmentNotEncrypted, "not_encrypted"),
        (MisdirectedEmail.AttachmentEncryptionNotKnown, "not_known"));

    public static IReadOnlyList<MisdirectedEmail> All => Words.All;

    public static string Key(this MisdirectedEmail value) => Words.Word(value);
}

/// <summary>What an <see cref="IncidentLink"/> points at.</summary>
public enum IncidentLinkKind
{
    Alert,
    Dns,
    FilterRequest,
}

public static class IncidentLinkKinds
{
    public static readonly StoredWords<IncidentLinkKind> Words = new("incident_links.Kind",
        (IncidentLinkKind.Alert, "alert"),
        (IncidentLinkKind.Dns, "dns"),
        (IncidentLinkKind.FilterRequest, "filter_request"));

    public static IReadOnlyList<IncidentLinkKind> All => Words.All;

    public static string Key(this IncidentLinkKind kind) => Words.Word(kind);
}

public sealed class Incident
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>safeguarding, behaviour, staff_violation, security, data_breach, lost_device or filter_report.</summary>
    public required string Kind { get; set; }
    public required string Title { get; set; }
    /// <summary>Policy rule IDs cited (a JSON array in the column since V0015; comma-separated before).</summary>
    public IReadOnlyList<string> RuleIds { get; set; } = [];
    public required IncidentStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    // V0009 (issue 5): the columns below summarise what the timeline says, so lists and deadlines
    // can be queried; the timeline entries remain the evidence.
    /// <summary>Marked serious when recorded, or found persistent (W11): the ICT coordinator and DSL are both told.</summary>
    public bool Serious { get; set; }
    /// <summary>The outcome recorded when the incident was closed (its closing entry holds the same text).</summary>
    public string? Outcome { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>When a data breach was discovered; the 72-hour clock (O6, F4) runs from here.</summary>
    public DateTimeOffset? DiscoveredAt { get; set; }
    /// <summary>When the decision on reporting to the ICO is due (data breaches only).</summary>
    public DateTimeOffset? DecisionDueAt { get; set; }
    /// <summary>When the decision entry was recorded; the chase stops then.</summary>
    public DateTimeOffset? DecisionAt { get; set; }
    /// <summary>How many chase emails have gone out (0, 1 after 48 hours, 2 after 70 hours).</summary>
    public int ChasesSent { get; set; }
    /// <summary>The lost or stolen device (F7): make, model, asset tag.</summary>
    public string? DeviceDescription { get; set; }
    /// <summary>V0040 (F4): a data breach by an email sent in error — attachment and encryption; null when not that.</summary>
    public MisdirectedEmail? MisdirectedEmail { get; set; }
}

public sealed class IncidentPerson
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public Guid PersonId { get; set; }
}

public sealed class IncidentEntry
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Author { get; set; }
    public required string Text { get; set; }
    /// <summary>The entry this one corrects; the corrected entry stays as it was.</summary>
    public long? CorrectsEntryId { get; set; }
    public IncidentEntryKind Kind { get; set; } = IncidentEntryKind.Note;
    /// <summary>Seen only by the kind's readers (e.g. the DSL's notes), never by a reporter who is not one.</summary>
    public bool Restricted { get; set; }
}

/// <summary>A monitoring alert, DNS decision or filter request attached to an incident.</summary>
public sealed class IncidentLink
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid IncidentId { get; set; }
    public required IncidentLinkKind Kind { get; set; }
    public required string TargetId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string LinkedBy { get; set; }
}

/// <summary>A file attached to an incident, kept in the database with its SHA-256 so it can be shown unaltered.</summary>
public sealed class IncidentAttachment
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid IncidentId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset At { get; set; }
    public required string AddedBy { get; set; }
    public bool Restricted { get; set; }
}

public sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> e)
    {
        e.ToTable("incidents");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Title).HasMaxLength(300);
        // The column stays nullable: SQLite cannot add NOT NULL without rebuilding a table others refer to.
        // V0015 turned every NULL into [] and Brightline always writes a list.
        e.Property(x => x.RuleIds).HasConversion(StoredList<string>.Converter("incidents.RuleIds"), StoredList<string>.Comparer).HasMaxLength(2000).IsRequired(false);
        e.Property(x => x.Status).HasConversion(IncidentStatuses.Words.Converter).HasMaxLength(16);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.Property(x => x.Outcome).HasMaxLength(4000);
        e.Property(x => x.DeviceDescription).HasMaxLength(500);
        e.Property(x => x.MisdirectedEmail).HasConversion(MisdirectedEmails.Words.Converter).HasMaxLength(16);
        e.Property(x => x.Serious).HasDefaultValue(false);
        e.Property(x => x.ChasesSent).HasDefaultValue(0);
        e.HasIndex(x => new { x.SchoolId, x.Status });
        e.HasIndex(x => new { x.SchoolId, x.Kind, x.CreatedAt });
        e.HasIndex(x => x.DecisionDueAt);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class IncidentPersonConfiguration : IEntityTypeConfiguration<IncidentPerson>
{
    public void Configure(EntityTypeBuilder<IncidentPerson> e)
    {
        e.ToTable("incident_people");
        e.HasIndex(x => new { x.IncidentId, x.PersonId }).IsUnique();
        e.HasIndex(x => x.PersonId);
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class IncidentEntryConfiguration : IEntityTypeConfiguration<IncidentEntry>
{
    public void Configure(EntityTypeBuilder<IncidentEntry> e)
    {
        e.ToTable("incident_entries");
        e.Property(x => x.Author).HasMaxLength(256);
        e.Property(x => x.Text).HasMaxLength(10000);
        e.Property(x => x.Kind).HasConversion(IncidentEntryKinds.Words.Converter).HasMaxLength(32).HasDefaultValue(IncidentEntryKind.Note);
        e.Property(x => x.Restricted).HasDefaultValue(false);
        e.HasIndex(x => x.IncidentId);
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<IncidentEntry>().WithMany().HasForeignKey(x => x.CorrectsEntryId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class IncidentLinkConfiguration : IEntityTypeConfiguration<IncidentLink>
{
    public void Configure(EntityTypeBuilder<IncidentLink> e)
    {
        e.ToTable("incident_links");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion(IncidentLinkKinds.Words.Converter).HasMaxLength(32);
        e.Property(x => x.TargetId).HasMaxLength(64);
        e.Property(x => x.LinkedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.IncidentId, x.Kind, x.TargetId }).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.Kind, x.TargetId });
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class IncidentAttachmentConfiguration : IEntityTypeConfiguration<IncidentAttachment>
{
    public void Configure(EntityTypeBuilder<IncidentAttachment> e)
    {
        e.ToTable("incident_attachments");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.FileName).HasMaxLength(255);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.AddedBy).HasMaxLength(256);
        e.HasIndex(x => x.IncidentId);
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Restrict);
    }
}
