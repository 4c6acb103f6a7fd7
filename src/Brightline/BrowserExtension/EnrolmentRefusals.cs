using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.BrowserExtension;

/// <summary>
/// Refused enrolments, so the IT provider sees on the Devices page why a browser did not enrol: recorded per
/// school (email as given, reason, when; never key material), listed newest first, and purged after
/// <see cref="Retention"/>.
/// </summary>
public sealed class EnrolmentRefusals(BrightlineDbContext db, TimeProvider time)
{
    /// <summary>How long a refusal is kept: long enough to follow up a rollout, short enough to hold little personal data.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>How many the Devices page lists.</summary>
    public const int Listed = 20;

    /// <summary>
    /// How many are kept per school. Whoever holds the school's enrolment key (every managed browser has it) can
    /// make refusals at will; the cap keeps that from filling the database, and 500 is far more than a rollout's
    /// mistakes.
    /// </summary>
    public const int KeptPerSchool = 500;

    public async Task RecordAsync(string schoolId, string email, string deviceName, string reason, CancellationToken cancellationToken)
    {
        db.Set<ExtensionEnrolmentRefusal>().Add(new ExtensionEnrolmentRefusal
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            Email = email.Length > 320 ? email[..320] : email,
            DeviceName = deviceName.Length > 200 ? deviceName[..200] : deviceName,
            Reason = reason,
            At = StoredTime.Now(time),
        });
        await db.SaveChangesAsync(cancellationToken);

        // Oldest beyond the cap go: read their IDs first, because not every provider deletes from an ordered, offset query.
        var beyond = await db.Set<ExtensionEnrolmentRefusal>().Where(r => r.SchoolId == schoolId)
            .OrderByDescending(r => r.At).ThenBy(r => r.Id).Skip(KeptPerSchool).Select(r => r.Id).ToListAsync(cancellationToken);
        if (beyond.Count > 0)
        {
            await db.Set<ExtensionEnrolmentRefusal>().Where(r => beyond.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>The school's most recent refusals, newest first.</summary>
    public async Task<IReadOnlyList<ExtensionEnrolmentRefusal>> RecentAsync(string schoolId, CancellationToken cancellationToken) =>
        await db.Set<ExtensionEnrolmentRefusal>().AsNoTracking().Where(r => r.SchoolId == schoolId)
            .OrderByDescending(r => r.At).ThenBy(r => r.Id).Take(Listed).ToListAsync(cancellationToken);

    /// <summary>Deletes refusals older than <see cref="Retention"/>; idempotent, so every process may run it.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = StoredTime.Now(time) - Retention;
        return await db.Set<ExtensionEnrolmentRefusal>().Where(r => r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The reason in the IT provider's words.</summary>
    public static string Words(string reason) => reason switch
    {
        ExtensionEnrolment.UnknownEmail => "No one at the school has this email address",
        ExtensionEnrolment.Leaver => "This account belongs to someone who has left the school",
        ExtensionEnrolment.RevokedKey => "The browser's managed policy has a revoked enrolment key",
        _ => reason,
    };
}
