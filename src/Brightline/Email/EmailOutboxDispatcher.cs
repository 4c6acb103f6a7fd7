using System.Net.Mail;
using System.Net.Mime;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Email;

/// <summary>
/// Sends what the outbox holds. Each message is claimed (a short lease, so two nodes never send it at once),
/// sent over SMTP with no transaction open — on SQLite a write transaction would hold every other writer
/// behind the SMTP conversation — and then marked sent, or given its error and a later attempt. Delivery is
/// at least once: a process that dies after the SMTP server accepted a message but before marking it sent
/// sends it again when the lease ends, which beats losing a safeguarding notice.
/// </summary>
public sealed partial class EmailOutboxDispatcher(IServiceScopeFactory scopes, TimeProvider time, IOptions<EmailOptions> options, ILogger<EmailOutboxDispatcher> logger) : IDisposable
{
    /// <summary>How long a claimed message stays with its sender before another may take it.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(5);

    private const int BatchSize = 20;

    // One pass at a time in this process: a pass asked for while another runs waits, then finds what is left.
    private readonly SemaphoreSlim _onePass = new(1, 1);

    /// <summary>The wait before attempt n+1 after n failed attempts: 1 min, 5 min, 30 min, 2 h, then every 6 h.</summary>
    public static TimeSpan RetryDelay(int failedAttempts) => failedAttempts switch
    {
        <= 1 => TimeSpan.FromMinutes(1),
        2 => TimeSpan.FromMinutes(5),
        3 => TimeSpan.FromMinutes(30),
        4 => TimeSpan.FromHours(2),
        _ => TimeSpan.FromHours(6),
    };

    /// <summary>Sends every message due now; returns how many were sent.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await _onePass.WaitAsync(cancellationToken);
        try
        {
            var sent = 0;
            while (true)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
                var policies = scope.ServiceProvider.GetRequiredService<Policies.PolicyStore>();
                var senders = new Dictionary<string, SchoolSender>(StringComparer.Ordinal);
                var now = EmailSender.Now(time);
                var due = await db.EmailOutbox.AsNoTracking()
                    .Where(m => m.State == EmailOutboxState.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil <= now))
                    .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
                    .Select(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
                if (due.Count == 0)
                {
                    return sent;
                }

                foreach (var id in due)
                {
                    if (await DeliverAsync(db, policies, senders, id, cancellationToken))
                    {
                        sent++;
                    }
                }

                if (due.Count < BatchSize)
                {
                    return sent;
                }
            }
        }
        finally
        {
            _onePass.Release();
        }
    }

    private async Task<bool> DeliverAsync(
        BrightlineDbContext db, Policies.PolicyStore policies, Dictionary<string, SchoolSender> senders, long id, CancellationToken cancellationToken)
    {
        var now = EmailSender.Now(time);
        var until = now + ClaimFor;
        var claimed = await db.EmailOutbox
            .Where(m => m.Id == id && m.State == EmailOutboxState.Pending && (m.ClaimedUntil == null || m.ClaimedUntil <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.ClaimedUntil, until), cancellationToken);
        if (claimed == 0)
        {
            return false; // another sender has it, or it is done
        }

        var message = await db.EmailOutbox.Include(m => m.Attachments).Include(m => m.EmailRecord).SingleAsync(m => m.Id == id, cancellationToken);
        if (!senders.TryGetValue(message.SchoolId, out var sender))
        {
            sender = await SchoolSender.ForAsync(db, policies, message.SchoolId, logger, cancellationToken);
            senders[message.SchoolId] = sender;
        }

        var error = await SendAsync(message, sender, cancellationToken);
        var settings = options.Value;
        now = EmailSender.Now(time);
        message.Attempts++;
        message.ClaimedUntil = null;
        var record = message.EmailRecord!;
        record.At = now;
        if (error is null)
        {
            message.State = EmailOutboxState.Sent;
            message.SentAt = now;
            message.LastError = null;
            record.Sent = true;
            record.Error = null;
        }
        else if (message.Attempts >= Math.Max(1, settings.MaxAttempts))
        {
            message.State = EmailOutboxState.Failed;
            message.LastError = error;
            record.Error = Truncate($"Gave up after {message.Attempts} attempt(s): {error}");
            LogGaveUp(logger, message.Purpose, message.Attempts, error);
        }
        else
        {
            var next = now + RetryDelay(message.Attempts);
            message.NextAttemptAt = next;
            message.LastError = error;
            record.Error = Truncate($"Not sent yet (attempt {message.Attempts} of {settings.MaxAttempts}; trying again at {next:yyyy-MM-dd HH:mm} UTC): {error}");
            LogWillRetry(logger, message.Purpose, message.Attempts, error);
        }

        // The body and attachments are needed only until the message is done, and must not outlive it: a body may
        // hold a countersign link (the database keeps only its hash) and the digest's PDF names children.
        if (message.State != EmailOutboxState.Pending)
        {
            message.TextBody = "";
            db.RemoveRange(message.Attachments);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return error is null;
    }

    /// <summary>One SMTP conversation; the error text, or null when the server accepted the message.</summary>
    private async Task<string?> SendAsync(EmailOutboxMessage queued, SchoolSender sender, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            return "Email is disabled or no SMTP server is configured (Brightline:Email).";
        }

        try
        {
            using var message = new MailMessage(sender.From(settings.From), new MailAddress(queued.Recipient))
            {
                Subject = queued.Subject, Body = queued.TextBody + sender.Signature(), IsBodyHtml = false, HeadersEncoding = System.Text.Encoding.UTF8,
            };
            if (sender.ReplyTo is { } replyTo)
            {
                message.ReplyToList.Add(replyTo);
            }

            message.BodyEncoding = System.Text.Encoding.UTF8;
            message.SubjectEncoding = System.Text.Encoding.UTF8;
            // Plain ASCII goes as 7-bit so links stay readable in any mail client and log; anything
            // else as base64, which (unlike quoted-printable) never splits a long link across lines.
            message.BodyTransferEncoding = message.Body.All(char.IsAscii) ? TransferEncoding.SevenBit : TransferEncoding.Base64;
            foreach (var file in queued.Attachments.OrderBy(a => a.Id))
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
            return null;
        }
        catch (Exception e) when (e is SmtpException or InvalidOperationException or FormatException or IOException or System.Net.Sockets.SocketException)
        {
            return Truncate(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
        }
    }

    private static string Truncate(string text) => text.Length > 1000 ? text[..1000] : text;

    // The purpose and the SMTP error only: a recipient address is personal data.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Email ({Purpose}) was not sent on attempt {Attempt}; it will be tried again: {Error}")]
    private static partial void LogWillRetry(ILogger logger, string purpose, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email ({Purpose}) was given up after {Attempts} attempt(s): {Error}")]
    private static partial void LogGaveUp(ILogger logger, string purpose, int attempts, string error);

    public void Dispose() => _onePass.Dispose();
}
