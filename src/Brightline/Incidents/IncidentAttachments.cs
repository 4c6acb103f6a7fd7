using System.Security.Cryptography;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>
/// Files kept as evidence on an incident (issue 5, section 1): stored in the database with their SHA-256,
/// only of types a school needs and nothing executable or scriptable, checked against their first bytes,
/// served only as downloads to those who may read them. Adding and opening a file are audited.
/// </summary>
public sealed class IncidentAttachments(BrightlineDbContext db, AuditLog audit, TimeProvider time, IncidentService incidents)
{
    public const string AuditAttached = "incident-attachment-added";
    public const string AuditAttachmentViewed = "incident-attachment-viewed";

    public const int MaxAttachmentBytes = 10 * 1024 * 1024;

    /// <summary>Files a school is likely to need as evidence; nothing executable or scriptable (no HTML, SVG).</summary>
    public static readonly IReadOnlyDictionary<string, string> AllowedTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["application/pdf"] = ".pdf",
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
        ["image/gif"] = ".gif",
        ["text/plain"] = ".txt",
        ["message/rfc822"] = ".eml",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ".xlsx",
    };

    /// <summary>Stores a file as evidence: size-limited, of an allowed type whose content matches, with its SHA-256 recorded.</summary>
    public async Task<IncidentAttachment> AttachAsync(
        string schoolId, Guid incidentId, string? fileName, string? contentType, byte[] content, bool restricted, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await incidents.AccessAsync(schoolId, incidentId, actor, cancellationToken);
        if (access == IncidentAccess.None)
        {
            throw new ForbiddenException("You may not add to this incident.");
        }

        if (access == IncidentAccess.Reporter)
        {
            restricted = false;
        }

        if (content.Length == 0)
        {
            throw new InvalidException("Choose a file to attach.");
        }

        if (content.Length > MaxAttachmentBytes)
        {
            throw new InvalidException($"The file is too large: attach files of up to {MaxAttachmentBytes / 1024 / 1024} MB.");
        }

        var type = (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (!AllowedTypes.ContainsKey(type))
        {
            throw new InvalidException("That kind of file cannot be attached. Attach a PDF, a picture (PNG, JPEG, GIF), a text file, an email (.eml) or a Word or Excel document.");
        }

        if (!ContentMatches(type, content))
        {
            throw new InvalidException("The file's content does not match its type; it was not attached.");
        }

        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        name = new string(name.Where(c => !char.IsControl(c) && c is not '"').ToArray());
        if (name.Length == 0)
        {
            name = "attachment" + AllowedTypes[type];
        }

        if (name.Length > 255)
        {
            name = name[^255..];
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var now = Now();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var attachment = new IncidentAttachment
        {
            SchoolId = schoolId, IncidentId = incident.Id, FileName = name, ContentType = type, Size = content.Length, Sha256 = hash,
            Content = content, At = now, AddedBy = actor.UserName, Restricted = restricted,
        };
        db.Set<IncidentAttachment>().Add(attachment);
        db.Set<IncidentEntry>().Add(new IncidentEntry
        {
            IncidentId = incident.Id, At = now, Author = actor.UserName, Kind = IncidentEntryKind.Attachment, Restricted = restricted,
            Text = $"Attached {name} ({content.Length:N0} bytes, SHA-256 {hash}).",
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor.UserName, AuditAttached, incident.Id.ToString(), $"{attachment.Id} {hash}", actor.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return attachment;
    }

    /// <summary>A file, for a reader (or its uploader when not restricted); each download is audited.</summary>
    public async Task<IncidentAttachment> AttachmentAsync(string schoolId, Guid incidentId, long attachmentId, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await incidents.AccessAsync(schoolId, incidentId, actor, cancellationToken);
        var file = await db.Set<IncidentAttachment>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.IncidentId == incident.Id, cancellationToken)
            ?? throw new NotFoundException("There is no such file.");
        var allowed = access == IncidentAccess.Reader
            || (access == IncidentAccess.Reporter && !file.Restricted && string.Equals(file.AddedBy, actor.UserName, StringComparison.Ordinal));
        if (!allowed)
        {
            throw new ForbiddenException("You may not open this file.");
        }

        await audit.AppendAsync(schoolId, actor.UserName, AuditAttachmentViewed, incident.Id.ToString(), $"{file.Id} {file.Sha256}", actor.ClientAddress, cancellationToken);
        return file;
    }

    /// <summary>True when the file's first bytes are what its type promises (a mislabelled file is refused).</summary>
    private static bool ContentMatches(string type, byte[] content)
    {
        static bool Starts(byte[] bytes, params byte[] magic) => bytes.Length >= magic.Length && bytes.AsSpan(0, magic.Length).SequenceEqual(magic);
        return type switch
        {
            "application/pdf" => Starts(content, "%PDF-"u8.ToArray()),
            "image/png" => Starts(content, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A),
            "image/jpeg" => Starts(content, 0xFF, 0xD8, 0xFF),
            "image/gif" => Starts(content, "GIF8"u8.ToArray()),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                or "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Starts(content, 0x50, 0x4B, 0x03, 0x04),
            // Text and email: no NUL bytes (a binary renamed to .txt is refused).
            _ => !content.AsSpan().Contains((byte)0),
        };
    }

    private DateTimeOffset Now() => StoredTime.Now(time);
}
