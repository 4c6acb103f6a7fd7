using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>The life of an outbox message: waiting to be sent (perhaps retrying), sent, or given up.</summary>
public enum EmailOutboxState
{
    Pending,
    Sent,
    Failed,
}

public static class EmailOutboxStates
{
    public static readonly StoredWords<EmailOutboxState> Words = new("email_outbox.State",
        (EmailOutboxState.Pending, "pending"),
        (EmailOutboxState.Sent, "sent"),
        (EmailOutboxState.Failed, "failed"));

    public static string Key(this EmailOutboxState state) => Words.Word(state);
}

/// <summary>
/// An email waiting to go out. Written in the caller's transaction together with the change that caused it
/// (and its <see cref="EmailRecord"/> in the email log), then sent over SMTP by the outbox worker outside any
/// transaction, with retries. A crash between the commit and the send loses nothing: the row is still here.
/// </summary>
public sealed class EmailOutboxMessage
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public required string Recipient { get; set; }
    public required string Subject { get; set; }
    /// <summary>Emptied once the message is sent or given up (it may hold a countersign link).</summary>
    public required string TextBody { get; set; }
    public required string Purpose { get; set; }
    /// <summary>The email log row this message keeps true (sent or failed, and when).</summary>
    public long EmailRecordId { get; set; }
    public EmailRecord? EmailRecord { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required EmailOutboxState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>A sender has taken the message until then (several nodes may run the worker); null when free.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
    public List<EmailOutboxAttachment> Attachments { get; set; } = [];
}

/// <summary>A file attached to an outbox message (the weekly digest's PDF), kept until the message is done.</summary>
public sealed class EmailOutboxAttachment
{
    public long Id { get; set; }
    public long MessageId { get; set; }
    public required string FileName { get; set; }
    public required string MediaType { get; set; }
    public required byte[] Content { get; set; }
}

public sealed class EmailOutboxMessageConfiguration : IEntityTypeConfiguration<EmailOutboxMessage>
{
    public void Configure(EntityTypeBuilder<EmailOutboxMessage> e)
    {
        e.ToTable("email_outbox");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Recipient).HasMaxLength(256);
        e.Property(x => x.Subject).HasMaxLength(998);
        e.Property(x => x.Purpose).HasMaxLength(64);
        e.Property(x => x.State).HasConversion(EmailOutboxStates.Words.Converter).HasMaxLength(16);
        e.Property(x => x.LastError).HasMaxLength(1000);

        // The worker's question: which pending messages are due now, oldest first.
        e.HasIndex(x => new { x.State, x.NextAttemptAt });
        e.HasIndex(x => x.EmailRecordId).IsUnique();
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.EmailRecord).WithMany().HasForeignKey(x => x.EmailRecordId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class EmailOutboxAttachmentConfiguration : IEntityTypeConfiguration<EmailOutboxAttachment>
{
    public void Configure(EntityTypeBuilder<EmailOutboxAttachment> e)
    {
        e.ToTable("email_outbox_attachments");
        e.Property(x => x.FileName).HasMaxLength(256);
        e.Property(x => x.MediaType).HasMaxLength(128);
    }
}
