using Brightline.Data;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Agreements;

/// <summary>The C8 gate: an agreement of the person's own unsigned, or an acknowledgement due, comes before any other page.</summary>
public sealed class AgreementGate(AgreementService agreements, AcknowledgementService acknowledgements, BrightlineDbContext db) : IOutstandingAgreements
{
    /// <summary>Where the user must go before anything else, or null. Agreements the person signs themselves come first.</summary>
    public async Task<string?> FirstOutstandingAsync(HttpContext context, string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var required = await agreements.ForPersonAsync(schoolId, personId, cancellationToken);
        var unsigned = required.FirstOrDefault(r => r.NeedsSelf && !r.SelfSigned);
        if (unsigned is not null)
        {
            return "/sign/" + Uri.EscapeDataString(unsigned.AgreementId);
        }

        return await AcknowledgementDueAsync(context, schoolId, personId, cancellationToken) is null ? null : "/acknowledge";
    }

    /// <summary>
    /// The acknowledgement due now, if any. The service cannot know when this browser signed in, so "every sign-in"
    /// is settled here: an acknowledgement recorded since the sign-in cookie was issued counts for this session.
    /// </summary>
    public async Task<Agreement?> AcknowledgementDueAsync(HttpContext context, string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var due = await acknowledgements.DueAsync(schoolId, personId, cancellationToken);
        if (due?.Acknowledgement is not { Every: AcknowledgementFrequency.SignIn })
        {
            return due;
        }

        var signedInAt = (await context.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Properties?.IssuedUtc;
        if (signedInAt is null)
        {
            return due;
        }

        var agreementId = due.Id;
        var since = signedInAt.Value;
        var done = await db.Acknowledgements.AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.PersonId == personId && a.AgreementId == agreementId)
            .Select(a => a.At).ToListAsync(cancellationToken);
        // Compared in memory: SQLite cannot compare DateTimeOffset columns in SQL.
        return done.Any(at => at >= since) ? null : due;
    }
}
