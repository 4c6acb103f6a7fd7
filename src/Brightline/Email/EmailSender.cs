using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.Extensions.Options;

namespace Brightline.Email;

/// <summary>
/// Queues email in the caller's unit of work: the message (a row in the outbox) and its line in the email
/// log are added to the caller's DbContext and committed by the caller's own SaveChanges or transaction,
/// together with the change that caused them — or not at all if that rolls back. Nothing here saves, so
/// queueing a message never commits the caller's other pending changes. <see cref="EmailOutboxWorker"/>
/// sends it afterwards, outside any transaction, with retries.
/// </summary>
public sealed partial class EmailSender(BrightlineDbContext db, TimeProvider time, IOptions<EmailOptions> options, ILogger<EmailSender> logger) : IDisposable
{
    private static readonly AsyncLocal<string?> s_withheld = new();

    /// <summary>
    /// Until the result is disposed, every email queued in this flow of work is recorded in the email log as not sent,
    /// with <paramref name="reason"/>, and never reaches the outbox. The demo school seeds through the real services
    /// (which tell people of requests, alerts and approvals) and must email nobody; the log still shows who would have been told.
    /// </summary>
    public static IDisposable Withhold(string reason)
    {
        var previous = s_withheld.Value;
        s_withheld.Value = reason;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => s_withheld.Value = previous;
    }

    public bool Enqueue(string schoolId, string to, string subject, string textBody, string purpose, Guid? personId) =>
        Enqueue(schoolId, to, subject, textBody, purpose, personId, []);

    /// <summary>
    /// Queues a plain-text email with attachments (each sent base64-encoded under its own file name and media
    /// type). Returns false when email is switched off here: the email log then records it as not sent.
    /// The caller must save (SaveChanges, or commit its transaction) for the email to exist.
    /// </summary>
    public bool Enqueue(
        string schoolId, string to, string subject, string textBody, string purpose, Guid? personId, IReadOnlyList<EmailAttachment> attachments)
    {
        var settings = options.Value;
        var now = Now(time);
        var record = new EmailRecord { SchoolId = schoolId, Recipient = to, Purpose = purpose, PersonId = personId, At = now };
        db.EmailRecords.Add(record);
        var disabled = s_withheld.Value is { } withheld ? withheld
            : !settings.Enabled ? "Email is disabled (Brightline:Email:Enabled = false)."
            : string.IsNullOrWhiteSpace(settings.SmtpHost) ? "No SMTP server is configured (Brightline:Email:SmtpHost)."
            : null;
        if (disabled is not null)
        {
            record.Error = disabled;
            LogNotSent(logger, purpose, disabled);
            return false;
        }

        db.EmailOutbox.Add(new EmailOutboxMessage
        {
            SchoolId = schoolId,
            Recipient = to,
            Subject = subject,
            TextBody = textBody,
            Purpose = purpose,
            EmailRecord = record,
            CreatedAt = now,
            State = EmailOutboxState.Pending,
            NextAttemptAt = now,
            Attachments = attachments.Select(a => new EmailOutboxAttachment { FileName = a.FileName, MediaType = a.MediaType, Content = a.Content }).ToList(),
        });
        return true;
    }

    internal static DateTimeOffset Now(TimeProvider time) => new(time.GetUtcNow().UtcDateTime, TimeSpan.Zero);

    /// <summary>
    /// A message queued but never saved would vanish without a trace; say so loudly (the scope ends with the
    /// request or the worker pass, after the caller has had every chance to save).
    /// </summary>
    public void Dispose()
    {
        try
        {
            foreach (var entry in db.ChangeTracker.Entries<EmailOutboxMessage>())
            {
                if (entry.State == Microsoft.EntityFrameworkCore.EntityState.Added)
                {
                    LogNeverSaved(logger, entry.Entity.Purpose);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The scope disposed the context first; nothing left to check.
        }
    }

    // The purpose and the reason only: a recipient address is personal data.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Email ({Purpose}) was not sent: {Error}")]
    private static partial void LogNotSent(ILogger logger, string purpose, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email ({Purpose}) was queued but never saved, so it will not be sent; the caller must save after queueing.")]
    private static partial void LogNeverSaved(ILogger logger, string purpose);
}
