using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// Refused network sign-ins (issue 13, point 6): recorded as Brightline answers, listed newest first on the Network
/// page with a search, the last one shown on the person's page. The user name as given, never the password. Kept
/// <see cref="Retention"/> and capped per school: anyone in range of the Wi-Fi can make rejects at will.
/// </summary>
public sealed class NetworkRejects(BrightlineDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>How many are kept per school: weeks of a school's mistyped passwords, not a flood's worth.</summary>
    public const int KeptPerSchool = 5000;

    public const int PageSize = 50;

    public async Task RecordAsync(string schoolId, string userName, Guid? personId, string? mac, string? network, RadiusAnswer answer, CancellationToken cancellationToken)
    {
        db.Set<NetworkReject>().Add(new NetworkReject
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            At = StoredTime.Now(time),
            UserName = Cut(userName, 253),
            PersonId = personId,
            Mac = mac is null ? null : Cut(mac, 64),
            Network = network,
            Code = Cut(answer.Code, 64),
            Message = Cut(answer.Message ?? answer.Code, 500),
        });
        await db.SaveChangesAsync(cancellationToken);

        // The cap is checked one time in fifty: counting on every reject would double the cost of a flood.
        if (System.Security.Cryptography.RandomNumberGenerator.GetInt32(50) == 0)
        {
            var beyond = await db.Set<NetworkReject>().Where(r => r.SchoolId == schoolId)
                .OrderByDescending(r => r.At).ThenBy(r => r.Id).Skip(KeptPerSchool).Select(r => r.Id).Take(1000).ToListAsync(cancellationToken);
            if (beyond.Count > 0)
            {
                await db.Set<NetworkReject>().Where(r => beyond.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// The school's rejects, newest first, filtered by <paramref name="search"/> (user name, MAC, network, reason) or
    /// refusing one of <paramref name="people"/> (the people whose names the caller found the search in).
    /// </summary>
    public Task<NetworkListPage<NetworkReject>> RecentAsync(string schoolId, string? search, int page, CancellationToken cancellationToken) =>
        RecentAsync(schoolId, search, page, null, cancellationToken);

    /// <inheritdoc cref="RecentAsync(string, string?, int, CancellationToken)"/>
    public async Task<NetworkListPage<NetworkReject>> RecentAsync(string schoolId, string? search, int page, IReadOnlyCollection<Guid>? people, CancellationToken cancellationToken)
    {
        var query = db.Set<NetworkReject>().AsNoTracking().Where(r => r.SchoolId == schoolId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToLowerInvariant();
            Guid[] named = [.. people ?? []];
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER() on both providers; the StringComparison overloads do not translate.
            query = query.Where(r => r.UserName.ToLower().Contains(term) || (r.Mac != null && r.Mac.ToLower().Contains(term))
                || (r.Network != null && r.Network.ToLower().Contains(term)) || r.Code.Contains(term) || r.Message.ToLower().Contains(term)
                || (r.PersonId != null && named.Contains(r.PersonId.Value)));
#pragma warning restore CA1862, CA1311
        }

        var total = await query.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var current = Math.Clamp(page, 1, pages);
        var rows = await query.OrderByDescending(r => r.At).ThenBy(r => r.Id).Skip((current - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new NetworkListPage<NetworkReject>(rows, total, current, pages);
    }

    /// <summary>The person's most recent reject, for their page.</summary>
    public Task<NetworkReject?> LastForPersonAsync(string schoolId, Guid personId, CancellationToken cancellationToken) =>
        db.Set<NetworkReject>().AsNoTracking().Where(r => r.SchoolId == schoolId && r.PersonId == personId)
            .OrderByDescending(r => r.At).ThenBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = StoredTime.Now(time) - Retention;
        return await db.Set<NetworkReject>().Where(r => r.At < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}
