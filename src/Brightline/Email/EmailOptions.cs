using System.ComponentModel.DataAnnotations;
using Brightline.Data;
using Brightline.Data.Entities;
using Microsoft.Extensions.Options;

namespace Brightline.Email;

public sealed class EmailOptions
{
    public const string Section = "Brightline:Email";

    /// <summary>SMTP relay; empty disables sending (every email is still recorded, as not sent).</summary>
    public string? SmtpHost { get; set; } = "127.0.0.1";
    [Range(1, 65_535)]
    public int SmtpPort { get; set; } = 25;
    public string From { get; set; } = "brightline@localhost";
    public bool Enabled { get; set; } = true;
    public bool EnableSsl { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>Whether this process runs the outbox worker that sends queued email (off: another node sends it).</summary>
    public bool Worker { get; set; } = true;

    /// <summary>How often the worker looks for due email when nothing has told it of new mail.</summary>
    [Range(1, 86_400)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>SMTP attempts before a message is given up and shown as failed in the email log.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;
}
