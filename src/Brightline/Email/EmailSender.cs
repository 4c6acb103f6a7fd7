using System.Net.Mail;
using System.Net.Mime;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.Extensions.Options;

namespace Brightline.Email;

public sealed class EmailOptions
{
    public const string Section = "Brightline:Email";

    /// <summary>SMTP relay; empty disables sending (every email is still recorded, as not sent).</summary>
    public string? SmtpHost { get; set; } = "127.0.0.1";
    public int SmtpPort { get; set; } = 25;
    public string From { get; set; } = "brightline@localhost";
    public bool Enabled { get; set; } = true;
    public bool EnableSsl { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

/// <summary>A file attached to an email.</summary>
public sealed record EmailAttachment(string FileName, string MediaType, byte[] Content);

/// <summary>
/// Sends mail through the configured SMTP server and records every attempt in the email log. A failure
/// never reaches the caller's request: schools need the reminder history, not a crashed page.
/// </summary>
public sealed partial class EmailSender(BrightlineDbContext db, TimeProvider time, IOptions<EmailOptions> options, ILogger<EmailSender> logger)
{
    public Task<bool> SendAsync(string schoolId, string to, string subject, string textBody, string purpose, Guid? personId, CancellationToken cancellationToken) =>
        SendAsync(schoolId, to, subject, textBody, purpose, personId, [], cancellationToken);

    /// <summary>Sends a plain-text email with attachments (each sent base64-encoded under its own file name and media type).</summary>
    public async Task<bool> SendAsync(
        string schoolId, string to, string subject, string textBody, string purpose, Guid? personId,
        IReadOnlyList<EmailAttachment> attachments, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (db.Database.CurrentTransaction is not null)
        {
            // The SMTP conversation would run inside the caller's write transaction: on SQLite every other
            // writer waits for it (the write gate). Callers send after they commit; this says which one did not.
            LogSentInTransaction(logger, purpose);
        }

        string? error = null;
        if (!settings.Enabled)
        {
            error = "Email is disabled (Brightline:Email:Enabled = false).";
        }
        else if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            error = "No SMTP server is configured (Brightline:Email:SmtpHost).";
        }
        else
        {
            try
            {
                using var message = new MailMessage(settings.From, to, subject, textBody) { IsBodyHtml = false };
                message.BodyEncoding = System.Text.Encoding.UTF8;
                message.SubjectEncoding = System.Text.Encoding.UTF8;
                // Plain ASCII goes as 7-bit so links stay readable in any mail client and log; anything
                // else as base64, which (unlike quoted-printable) never splits a long link across lines.
                message.BodyTransferEncoding = textBody.All(char.IsAscii) ? TransferEncoding.SevenBit : TransferEncoding.Base64;
                foreach (var file in attachments)
                {
                    var attachment = new Attachment(new MemoryStream(file.Content, writable: false), file.FileName, file.MediaType)
                    {
                        TransferEncoding = TransferEncoding.Base64,
                    };
                    message.Attachments.Add(attachment);
                }

                using var client = new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = settings.EnableSsl };
                if (!string.IsNullOrEmpty(settings.UserName))
                {
                    client.Credentials = new System.Net.NetworkCredential(settings.UserName, settings.Password);
                }

                await client.SendMailAsync(message, cancellationToken);
            }
            catch (Exception e) when (e is SmtpException or InvalidOperationException or FormatException or IOException or System.Net.Sockets.SocketException)
            {
                error = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
            }
        }

        if (error is not null)
        {
            LogNotSent(logger, purpose, error);
        }

        db.EmailRecords.Add(new EmailRecord
        {
            SchoolId = schoolId,
            Recipient = to,
            Purpose = purpose,
            PersonId = personId,
            At = new DateTimeOffset(time.GetUtcNow().UtcDateTime, TimeSpan.Zero),
            Sent = error is null,
            Error = error,
        });
        await db.SaveChangesAsync(cancellationToken);
        return error is null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email ({Purpose}) is being sent inside an open database transaction; send it after the commit.")]
    private static partial void LogSentInTransaction(ILogger logger, string purpose);

    // The purpose and the SMTP error only: a recipient address is personal data.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Email ({Purpose}) was not sent: {Error}")]
    private static partial void LogNotSent(ILogger logger, string purpose, string error);
}
