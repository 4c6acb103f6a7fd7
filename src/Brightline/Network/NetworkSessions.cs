using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// The record of network sessions, from RADIUS accounting (issue 13): what the Network page lists as live, what a
/// person's page shows, and where a Disconnect-Request must go. One row per NAS and Acct-Session-Id (RFC 2866 §5.5),
/// created by the first Start or Interim-Update (a lost Start must not hide a session) and ended by Stop, by the
/// NAS's Accounting-On/Off, or by a disconnect. A session is live while it has not ended and its NAS reported it
/// within the policy's <c>max_session_hours</c> — a NAS that dies without a word cannot keep a session live for ever.
/// </summary>
public sealed class NetworkSessions(BrightlineDbContext db, PolicyStore policies, RecentAccepts accepts, TimeProvider time)
{
    /// <summary>How long an ended session is kept for the person's page and the IT provider's questions.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>How many rows a page of the Network page lists.</summary>
    public const int PageSize = 50;

    /// <summary>The NAS as a session key: its address when it sent one, else its identifier; null when it sent neither (malformed).</summary>
    public static string? NasOf(RadiusRequest request) =>
        request.NasIpAddress?.ToString() ?? (string.IsNullOrWhiteSpace(request.NasIdentifier) ? null : Cut(request.NasIdentifier.Trim(), 253));

    /// <summary>Records a Start, Interim-Update or Stop on <paramref name="network"/> (the policy's name, null when it names none); returns the session.</summary>
    public async Task<NetworkSession> RecordAsync(string schoolId, RadiusRequest request, string? network, Guid? personId, CancellationToken cancellationToken)
    {
        var nas = NasOf(request) ?? throw new RadiusRequestException("An accounting request must carry NAS-IP-Address or NAS-Identifier.");
        var sessionId = request.AcctSessionId;
        var status = request.AccountingStatus;
        var userName = request.UserName;
        var now = StoredTime.Now(time);
        var mac = request.CallingStationId is { } calling ? Cut(calling, 64) : null;

        var session = await db.Set<NetworkSession>()
            .FirstOrDefaultAsync(s => s.SchoolId == schoolId && s.Nas == nas && s.AcctSessionId == sessionId, cancellationToken);
        if (session is null)
        {
            session = new NetworkSession
            {
                Id = Guid.NewGuid(),
                SchoolId = schoolId,
                Nas = nas,
                AcctSessionId = sessionId,
                UserName = userName,
                StartedAt = now,
            };
            db.Add(session);
        }

        session.NasAddress = request.NasIpAddress?.ToString();
        session.NasIdentifier = request.NasIdentifier is { } identifier ? Cut(identifier, 253) : null;
        session.Network = network ?? session.Network;
        session.UserName = userName;
        session.PersonId = personId;
        session.Mac = mac ?? session.Mac;
        session.Address = request.FramedIpAddress?.ToString() ?? session.Address;
        session.Vlan = accepts.Find(schoolId, userName, mac) ?? session.Vlan;
        session.UpdatedAt = now;
        if (status == AccountingStatus.Stop)
        {
            session.EndedAt ??= now;
            session.EndReason ??= request.AcctTerminateCause is { } cause ? $"stop: {cause}" : "stop";
        }

        await db.SaveChangesAsync(cancellationToken);
        return session;
    }

    /// <summary>
    /// Accounting-On/Off: the NAS restarted or is going down, so every session it held has ended (RFC 2866 §5.1).
    /// Returns the ended sessions, whose address bindings the caller removes.
    /// </summary>
    public async Task<IReadOnlyList<NetworkSession>> EndAllAtNasAsync(string schoolId, RadiusRequest request, CancellationToken cancellationToken)
    {
        var nas = NasOf(request) ?? throw new RadiusRequestException("Accounting-On/Off must carry NAS-IP-Address or NAS-Identifier.");
        var now = StoredTime.Now(time);
        var open = await db.Set<NetworkSession>().Where(s => s.SchoolId == schoolId && s.Nas == nas && s.EndedAt == null).ToListAsync(cancellationToken);
        foreach (var session in open)
        {
            session.EndedAt = now;
            session.EndReason = "nas-restart";
        }

        await db.SaveChangesAsync(cancellationToken);
        return open;
    }

    /// <summary>Marks a session ended by a disconnect; false when it had already ended.</summary>
    public async Task<bool> EndAsync(string schoolId, Guid sessionId, string reason, CancellationToken cancellationToken) =>
        await db.Set<NetworkSession>().Where(s => s.SchoolId == schoolId && s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, StoredTime.Now(time)).SetProperty(s => s.EndReason, reason), cancellationToken) > 0;

    /// <summary>
    /// The school's live sessions (not ended, reported within max_session_hours), newest first, filtered by
    /// <paramref name="search"/> (user name, MAC, address, network, VLAN) or belonging to one of <paramref name="people"/>
    /// (the people whose names the caller found the search in).
    /// </summary>
    public Task<NetworkListPage<NetworkSession>> LiveAsync(string schoolId, string? search, int page, CancellationToken cancellationToken) =>
        LiveAsync(schoolId, search, page, null, cancellationToken);

    /// <inheritdoc cref="LiveAsync(string, string?, int, CancellationToken)"/>
    public async Task<NetworkListPage<NetworkSession>> LiveAsync(string schoolId, string? search, int page, IReadOnlyCollection<Guid>? people, CancellationToken cancellationToken)
    {
        var query = await LiveQueryAsync(schoolId, cancellationToken);
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Lower-cased on both sides: SQLite's LIKE and PostgreSQL's differ on case, and a MAC is typed either way.
            var term = search.Trim().ToLowerInvariant();
            Guid[] named = [.. people ?? []];
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER() on both providers; the StringComparison overloads do not translate.
            query = query.Where(s => s.UserName.ToLower().Contains(term) || (s.Mac != null && s.Mac.ToLower().Contains(term))
                || (s.Address != null && s.Address.Contains(term)) || (s.Network != null && s.Network.ToLower().Contains(term))
                || (s.Vlan != null && s.Vlan == term) || (s.PersonId != null && named.Contains(s.PersonId.Value)));
#pragma warning restore CA1862, CA1311
        }

        var total = await query.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var current = Math.Clamp(page, 1, pages);
        var rows = await query.OrderByDescending(s => s.StartedAt).ThenBy(s => s.Id)
            .Skip((current - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new NetworkListPage<NetworkSession>(rows, total, current, pages);
    }

    /// <summary>A person's live sessions, for their page and for Disconnect-Request.</summary>
    public async Task<IReadOnlyList<NetworkSession>> LiveForPersonAsync(string schoolId, Guid personId, CancellationToken cancellationToken) =>
        await (await LiveQueryAsync(schoolId, cancellationToken)).Where(s => s.PersonId == personId)
            .OrderByDescending(s => s.StartedAt).ToListAsync(cancellationToken);

    /// <summary>The school's live sessions that belong to a person (at most <paramref name="max"/>), for Disconnect-Request after a school-wide change.</summary>
    public async Task<IReadOnlyList<NetworkSession>> LiveWithPersonAsync(string schoolId, int max, CancellationToken cancellationToken) =>
        await (await LiveQueryAsync(schoolId, cancellationToken)).Where(s => s.PersonId != null)
            .OrderBy(s => s.StartedAt).Take(max).ToListAsync(cancellationToken);

    /// <summary>One of the school's sessions, or null (another school's ID is no session here).</summary>
    public Task<NetworkSession?> FindAsync(string schoolId, Guid sessionId, CancellationToken cancellationToken) =>
        db.Set<NetworkSession>().AsNoTracking().FirstOrDefaultAsync(s => s.SchoolId == schoolId && s.Id == sessionId, cancellationToken);

    /// <summary>Deletes sessions that ended, or were last reported, longer ago than <see cref="Retention"/>; idempotent.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = StoredTime.Now(time) - Retention;
        return await db.Set<NetworkSession>().Where(s => s.UpdatedAt < cutoff && (s.EndedAt == null || s.EndedAt < cutoff)).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<IQueryable<NetworkSession>> LiveQueryAsync(string schoolId, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var silentSince = StoredTime.Now(time).AddHours(-policy.Network.MaxSessionHours);
        return db.Set<NetworkSession>().AsNoTracking().Where(s => s.SchoolId == schoolId && s.EndedAt == null && s.UpdatedAt >= silentSince);
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}
