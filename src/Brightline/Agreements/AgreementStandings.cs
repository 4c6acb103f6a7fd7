using System.Collections.Concurrent;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Agreements;

/// <summary>
/// Issue 18 part 1: keeps <see cref="AgreementStanding"/> rows true. The one writer of the table; it evaluates the same
/// rules as a single person's status (<see cref="AgreementStatus"/>), so the table's answers match by construction, for
/// just the people an event touched (a signature, an import) or, when the school's stamp no longer matches what the
/// standings were computed from (another policy or text, a new academic year, people changed outside an import, an
/// official-capacity approval starting or ending), for whoever that affects. Readers call <see cref="EnsureFreshAsync"/>
/// first, so a missing or stale table (right after the migration, say) is refreshed before it answers.
/// Leaving is not stored: rows are kept for leavers and readers filter by <see cref="People.OnRoll"/>, so a leaving
/// date passing needs no refresh; nor is "due" against "overdue", which readers take from <see cref="AgreementStanding.DueBy"/>.
/// </summary>
public sealed class AgreementStandings(BrightlineDbContext db, PolicyStore policies, IApprovedGroups approvedGroups, TimeProvider time)
{
    // One refresh of a school at a time in this process: two racing would insert the same rows.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> s_locks = new(StringComparer.Ordinal);

    private sealed record Fingerprint(string Versions, DateOnly YearStart, int PeopleCount, DateTimeOffset? PeopleUpdatedAt,
        string OfficialCapacity, IReadOnlyDictionary<Guid, IReadOnlyList<string>> Extra);

    /// <summary>Brings the school's standings up to date if its stamp says they are not, and returns the active policy.</summary>
    public async Task<ActivePolicy> EnsureFreshAsync(string schoolId, CancellationToken cancellationToken)
    {
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        await EnsureFreshAsync(active, cancellationToken);
        return active;
    }

    internal async Task EnsureFreshAsync(ActivePolicy active, CancellationToken cancellationToken)
    {
        var schoolId = active.Version.SchoolId;
        var now = await FingerprintAsync(active, cancellationToken);
        var stamp = await db.Set<AgreementStandingStamp>().AsNoTracking().FirstOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken);
        if (stamp is not null && Same(stamp, now))
        {
            return;
        }

        var gate = s_locks.GetOrAdd(schoolId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await LockAsync(schoolId, cancellationToken);
            // Another request may have refreshed while this one waited.
            stamp = await db.Set<AgreementStandingStamp>().AsNoTracking().FirstOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken);
            now = await FingerprintAsync(active, cancellationToken);
            if (stamp is not null && Same(stamp, now))
            {
                return;
            }

            IReadOnlyCollection<Guid>? who = null;
            if (stamp is { PeopleUpdatedAt: not null } && stamp.Versions == now.Versions && stamp.YearStart == now.YearStart && now.PeopleCount >= stamp.PeopleCount)
            {
                // Only people changed or approvals moved: refresh those people, not the school.
                var changed = new HashSet<Guid>();
                if (now.PeopleCount != stamp.PeopleCount || now.PeopleUpdatedAt != stamp.PeopleUpdatedAt)
                {
                    var since = stamp.PeopleUpdatedAt.Value;
                    changed.UnionWith(await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.UpdatedAt >= since)
                        .Select(p => p.Id).ToListAsync(cancellationToken));
                }

                if (now.OfficialCapacity != stamp.OfficialCapacity)
                {
                    changed.UnionWith(now.Extra.Keys);
                    changed.UnionWith(ParseOfficialCapacity(stamp.OfficialCapacity));
                }

                // New people without a later update time (written outside an import) cannot be picked out: do them all.
                who = changed.Count >= now.PeopleCount - stamp.PeopleCount ? changed : null;
            }

            await RefreshAsync(active, who, now.Extra, cancellationToken);
            var row = await db.Set<AgreementStandingStamp>().FirstOrDefaultAsync(s => s.SchoolId == schoolId, cancellationToken);
            if (row is null)
            {
                row = new AgreementStandingStamp { SchoolId = schoolId, Versions = now.Versions, OfficialCapacity = now.OfficialCapacity };
                db.Add(row);
            }

            // The fingerprint read before the refresh: anything changed meanwhile makes the stamp stale again, never fresh.
            row.Versions = now.Versions;
            row.YearStart = now.YearStart;
            row.PeopleCount = now.PeopleCount;
            row.PeopleUpdatedAt = now.PeopleUpdatedAt;
            row.OfficialCapacity = now.OfficialCapacity;
            row.RefreshedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>After an event that changed these people's signatures or records: their rows now.</summary>
    public async Task RefreshPeopleAsync(string schoolId, IReadOnlyCollection<Guid> people, CancellationToken cancellationToken)
    {
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        await RefreshPeopleAsync(active, people, cancellationToken);
    }

    internal async Task RefreshPeopleAsync(ActivePolicy active, IReadOnlyCollection<Guid> people, CancellationToken cancellationToken)
    {
        var schoolId = active.Version.SchoolId;
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await LockAsync(schoolId, cancellationToken);
        var extra = await approvedGroups.ForSchoolAsync(active.Policy, schoolId, cancellationToken);
        await RefreshAsync(active, people, extra, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Every write of a school's standings happens in a transaction holding this lock, and reads the people and signatures
    /// only after taking it, so a refresh never writes what it read before another writer's signature committed. SQLite
    /// needs nothing more: a write transaction there already holds the database's one write lock (begun IMMEDIATE).
    /// </summary>
    private async Task LockAsync(string schoolId, CancellationToken cancellationToken)
    {
        if (db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true)
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"agreement_standings:" + schoolId}))", cancellationToken);
        }
    }

    /// <summary>Every person of the school, whatever the stamp says (the demo seeding, the periodic pass's repair).</summary>
    public async Task RefreshSchoolAsync(string schoolId, CancellationToken cancellationToken)
    {
        await db.Set<AgreementStandingStamp>().Where(s => s.SchoolId == schoolId).ExecuteDeleteAsync(cancellationToken);
        await EnsureFreshAsync(schoolId, cancellationToken);
    }

    private async Task RefreshAsync(ActivePolicy active, IReadOnlyCollection<Guid>? who, IReadOnlyDictionary<Guid, IReadOnlyList<string>> extra,
        CancellationToken cancellationToken)
    {
        var schoolId = active.Version.SchoolId;
        if (who is { Count: 0 })
        {
            return;
        }

        var ids = who?.ToList();
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && (ids == null || ids.Contains(p.Id))).ToListAsync(cancellationToken);
        var signatures = (await db.Signatures.AsNoTracking().Where(s => s.SchoolId == schoolId && (ids == null || ids.Contains(s.PersonId)))
            .ToListAsync(cancellationToken)).ToLookup(s => s.PersonId);
        var stored = (await db.Set<AgreementStanding>().Where(s => s.SchoolId == schoolId && (ids == null || ids.Contains(s.PersonId)))
            .ToListAsync(cancellationToken)).ToDictionary(s => (s.PersonId, s.AgreementId));
        var today = SchoolClock.Today(time);
        var wanted = new HashSet<(Guid, string)>();
        var touched = new List<AgreementStanding>(stored.Values);
        foreach (var person in people)
        {
            // Rows are kept for leavers (readers filter by OnRoll), so evaluate as if on roll: the instance is not tracked.
            person.LeftOn = null;
            foreach (var r in AgreementStatus.Compute(active.Policy, active.Agreements, person, signatures[person.Id].ToList(), today, extra.GetValueOrDefault(person.Id)))
            {
                var key = (person.Id, r.AgreementId);
                wanted.Add(key);
                if (!stored.TryGetValue(key, out var row))
                {
                    row = new AgreementStanding { SchoolId = schoolId, PersonId = person.Id, AgreementId = r.AgreementId };
                    db.Add(row);
                    touched.Add(row);
                }

                Write(row, r);
            }
        }

        foreach (var (key, row) in stored)
        {
            if (!wanted.Contains(key))
            {
                db.Remove(row);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        // Only this routine's rows are let go: the caller's unit of work (a signature just saved) is its own.
        foreach (var row in touched)
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }

    private static void Write(AgreementStanding row, RequiredAgreement r)
    {
        // Assigning an equal value leaves EF's change tracking clean, so an unchanged row is not written.
        row.AgreementVersionId = r.AgreementVersionId;
        row.NeedsSelf = r.NeedsSelf;
        row.NeedsParent = r.NeedsParent;
        row.SelfSigned = r.SelfSigned;
        row.ParentSigned = r.ParentSigned;
        row.OnBehalf = r.OnBehalf;
        row.Signed = r.State == AgreementState.Signed;
        row.DueBy = r.DueBy;
        row.MissingSince = r.MissingSince;
        row.ParentSignerId = r.ParentSignerId;
    }

    /// <summary>A stored row as the status rules state it; <paramref name="today"/> decides due against overdue.</summary>
    public static RequiredAgreement ToRequired(AgreementStanding row, ActivePolicy active, DateOnly today)
    {
        var agreement = active.Policy.FindAgreement(row.AgreementId)!;
        var version = active.Agreements[row.AgreementId];
        var state = row.Signed ? AgreementState.Signed : today <= row.DueBy ? AgreementState.Due : AgreementState.Overdue;
        return new RequiredAgreement(agreement.Id, agreement.Title, version.Id, version.TextHash, agreement.Signers,
            row.NeedsSelf, row.NeedsParent, row.SelfSigned, row.ParentSigned, row.DueBy, state, agreement.Withholds, row.MissingSince)
        {
            OnBehalf = row.OnBehalf,
            ParentSignerId = row.ParentSignerId,
        };
    }

    /// <summary>The school's rows in policy order (the order <see cref="AgreementStatus.Compute"/> lists them).</summary>
    public static IReadOnlyList<RequiredAgreement> Ordered(IEnumerable<AgreementStanding> rows, ActivePolicy active, DateOnly today)
    {
        var order = active.Policy.Agreements.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return rows.Where(r => order.ContainsKey(r.AgreementId)).OrderBy(r => order[r.AgreementId]).Select(r => ToRequired(r, active, today)).ToList();
    }

    private async Task<Fingerprint> FingerprintAsync(ActivePolicy active, CancellationToken cancellationToken)
    {
        var schoolId = active.Version.SchoolId;
        var versions = string.Join(';', active.Agreements.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.Id}"));
        var yearStart = active.Policy.School.Calendar.AcademicYearStart(SchoolClock.Today(time));
        var count = await db.People.CountAsync(p => p.SchoolId == schoolId, cancellationToken);
        var updated = await db.People.Where(p => p.SchoolId == schoolId).OrderByDescending(p => p.UpdatedAt)
            .Select(p => (DateTimeOffset?)p.UpdatedAt).FirstOrDefaultAsync(cancellationToken);
        var extra = await approvedGroups.ForSchoolAsync(active.Policy, schoolId, cancellationToken);
        var official = string.Join(';', extra.OrderBy(e => e.Key).Select(e => $"{e.Key}:{string.Join(',', e.Value.Order(StringComparer.Ordinal))}"));
        return new Fingerprint(versions, yearStart, count, updated, official, extra);
    }

    private static bool Same(AgreementStandingStamp stamp, Fingerprint now) =>
        stamp.Versions == now.Versions && stamp.YearStart == now.YearStart && stamp.PeopleCount == now.PeopleCount
        && stamp.PeopleUpdatedAt == now.PeopleUpdatedAt && stamp.OfficialCapacity == now.OfficialCapacity;

    private static IEnumerable<Guid> ParseOfficialCapacity(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(e => Guid.Parse(e.AsSpan(0, e.IndexOf(':', StringComparison.Ordinal))));
}
