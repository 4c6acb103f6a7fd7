using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Agreements;

/// <summary>Logon acknowledgements (H13, C8).</summary>
public sealed class AcknowledgementService(BrightlineDbContext db, PolicyStore policies, AuditLog audit, TimeProvider time)
{
    public async Task<Agreement?> DueAsync(string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken)
            ?? throw new NotFoundException($"There is no person {personId} at school '{schoolId}'.");
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        var today = SchoolClock.Today(time);
        if (person.LeftOn is { } left && left <= today)
        {
            return null;
        }

        var groupIds = PersonGroups.For(active.Policy, person).Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        var candidates = active.Policy.Agreements.Where(a => a.Acknowledgement is not null && a.Audience.Any(groupIds.Contains)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var weekAgo = time.GetUtcNow().AddDays(-7);
        var recent = await db.Acknowledgements.AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.PersonId == personId && a.At > weekAgo)
            .Select(a => new { a.AgreementId, a.At })
            .ToListAsync(cancellationToken);
        foreach (var agreement in candidates)
        {
            var mine = recent.Where(r => string.Equals(r.AgreementId, agreement.Id, StringComparison.Ordinal)).ToList();
            var due = agreement.Acknowledgement!.Every switch
            {
                AcknowledgementFrequency.SignIn => true,
                AcknowledgementFrequency.Day => !mine.Any(r => SchoolClock.DateOf(r.At) == today),
                AcknowledgementFrequency.Week => mine.Count == 0,
                _ => throw new InvalidOperationException($"Unknown acknowledgement frequency {agreement.Acknowledgement.Every}."),
            };
            if (due)
            {
                return agreement;
            }
        }

        return null;
    }

    public async Task RecordAsync(string schoolId, Guid personId, string agreementId, string? clientAddress, CancellationToken cancellationToken)
    {
        var exists = await db.People.AsNoTracking().AnyAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken);
        if (!exists)
        {
            throw new NotFoundException($"There is no person {personId} at school '{schoolId}'.");
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var agreement = policy.FindAgreement(agreementId) ?? throw new NotFoundException($"The policy has no agreement '{agreementId}'.");
        var acknowledgement = agreement.Acknowledgement ?? throw new InvalidException($"\"{agreement.Title}\" has no acknowledgement to record.");
        var at = time.GetUtcNow();
        db.Acknowledgements.Add(new AcknowledgementRecord
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            PersonId = personId,
            AgreementId = agreementId,
            TextHash = AgreementText.Sha256Hex(acknowledgement.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim()),
            At = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero),
            ClientAddress = clientAddress,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, $"person:{personId}", AuditActions.Acknowledge, subject: $"person {personId}",
            detail: $"agreement {agreementId}", clientAddress: clientAddress, cancellationToken: cancellationToken);
    }
}
