using System.Net.Mail;
using Brightline.Data;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Email;

/// <summary>
/// Who an email says it is from (issue 17, defect 4): the school's own name as the display name on the
/// installation's sending address, and the school's office address (the policy's <c>school.email</c>) as
/// Reply-To, so a parent sees "Brightline Example Primary" rather than a bare <c>brightline@…</c> that looks
/// like phishing, and a reply reaches the office. The address itself stays the installation's: a school's own
/// domain would fail SPF/DKIM checks when sent from here.
/// </summary>
public sealed record SchoolSender(string? SchoolName, MailAddress? ReplyTo, string? Phone)
{
    public static readonly SchoolSender None = new(null, null, null);

    /// <summary>The school's name and office address, read fresh for each delivery pass.</summary>
    public static async Task<SchoolSender> ForAsync(BrightlineDbContext db, PolicyStore policies, string schoolId, ILogger logger, CancellationToken cancellationToken)
    {
        var name = await db.Schools.AsNoTracking().Where(s => s.Id == schoolId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return None;
        }

        string? office = null;
        string? phone = null;
        try
        {
            var school = (await policies.ActiveAsync(schoolId, cancellationToken)).School;
            (office, phone) = (school.Email, school.Phone);
        }
        catch (Kernel.DomainException)
        {
            // No active policy yet (a school half set up): the name alone still tells the reader who wrote.
        }

        return new SchoolSender(name, ParseReplyTo(office, schoolId, logger), string.IsNullOrWhiteSpace(phone) ? null : phone.Trim());
    }

    /// <summary>
    /// The signature every email ends with, so even a staff notice forwarded out of context says which school
    /// sent it and how to reach the office.
    /// </summary>
    public string Signature()
    {
        if (SchoolName is null)
        {
            return "";
        }

        // One item a line, in plain ASCII separators, so an English school's email stays 7-bit and readable in any client.
        var lines = new[] { SchoolName, ReplyTo?.Address, Phone }.Where(c => c is not null);
        return "\n\n-- \n" + string.Join("\n", lines) + "\n";
    }

    /// <summary>The display-named From address: "School name" &lt;installation address&gt;.</summary>
    public MailAddress From(string installationAddress)
    {
        var address = new MailAddress(installationAddress);
        return SchoolName is null ? address : new MailAddress(address.Address, SchoolName);
    }

    private static MailAddress? ParseReplyTo(string? office, string schoolId, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(office))
        {
            return null;
        }

        // policy check validates school.email; an address it let through but SmtpClient cannot use must not stop
        // the email (a safeguarding notice matters more than its Reply-To), so it is dropped and said.
        if (MailAddress.TryCreate(office.Trim(), out var parsed))
        {
            return parsed;
        }

        SchoolSenderLog.BadReplyTo(logger, schoolId);
        return null;
    }
}
