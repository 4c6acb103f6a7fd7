using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Policies;

/// <summary>Stores policy versions and serves each school's active policy.</summary>
public sealed class PolicyStore(BrightlineDbContext db, TimeProvider time, PolicyCache cache, AuditLog audit)
{
    public async Task<SchoolPolicy> ActiveAsync(string schoolId, CancellationToken cancellationToken) =>
        (await ActiveVersionAsync(schoolId, cancellationToken)).Policy;

    /// <summary>
    /// The active policy alone, for hot paths (RADIUS answers; the ingestion API reads the excluded sites on every batch):
    /// the active version's ID from memory when read within <see cref="PolicyCache.ActiveFreshFor"/>, else one indexed
    /// query, and the YAML read only when that version is not parsed yet.
    /// </summary>
    public async Task<SchoolPolicy> ActivePolicyAsync(string schoolId, CancellationToken cancellationToken) =>
        (await ActivePolicyWithIdAsync(schoolId, cancellationToken)).Policy;

    /// <summary><see cref="ActivePolicyAsync"/> with the version's ID (the RADIUS answers FreeRADIUS repeats belong to one version).</summary>
    public async Task<(long VersionId, SchoolPolicy Policy)> ActivePolicyWithIdAsync(string schoolId, CancellationToken cancellationToken)
    {
        if (!cache.TryGetActive(schoolId, out var id))
        {
            id = await db.PolicyVersions.AsNoTracking().Where(v => v.SchoolId == schoolId && v.IsActive)
                .OrderByDescending(v => v.Id).Select(v => (long?)v.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new NotFoundException($"School '{schoolId}' has no policy loaded. Load one with `brightline policy load FILE`.");
            cache.RememberActive(schoolId, id);
        }

        if (cache.TryGet(id, out var policy))
        {
            return (id, policy);
        }

        var version = await db.PolicyVersions.AsNoTracking().FirstAsync(v => v.Id == id, cancellationToken);
        return (id, cache.GetOrParse(version));
    }

    /// <summary>The active policy with each agreement's current text version (created on demand if missing).</summary>
    public async Task<ActivePolicy> ActiveVersionAsync(string schoolId, CancellationToken cancellationToken)
    {
        var version = await db.PolicyVersions.AsNoTracking()
            .Where(v => v.SchoolId == schoolId && v.IsActive)
            .OrderByDescending(v => v.Id)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException($"School '{schoolId}' has no policy loaded. Load one with `brightline policy load FILE`.");
        var policy = cache.GetOrParse(version);
        var agreements = await EnsureAgreementVersionsAsync(version, policy, cancellationToken);
        return new ActivePolicy(version, policy, agreements);
    }

    public async Task<PolicyVersion> LoadAsync(string yaml, string fileName, string actor, CancellationToken cancellationToken)
    {
        // A calendar file is stored with the policy (issue 15), so the stored version re-parses without it.
        yaml = PolicyLoader.WithCalendarFileEmbedded(yaml, fileName);

        // Every section is checked by the policy library, so `policy check` and `policy load` report the same errors.
        var policy = PolicyLoader.LoadValid(yaml, fileName);

        var sha = AgreementText.Sha256Hex(yaml);
        var now = Utc(time.GetUtcNow());

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var school = await db.Schools.FirstOrDefaultAsync(s => s.Id == policy.School.Id, cancellationToken);
        if (school is null)
        {
            school = new Data.Entities.School { Id = policy.School.Id, Name = policy.School.Name, CreatedAt = now };
            db.Schools.Add(school);
        }
        else if (!string.Equals(school.Name, policy.School.Name, StringComparison.Ordinal))
        {
            school.Name = policy.School.Name;
        }

        await db.SaveChangesAsync(cancellationToken);

        var versions = await db.PolicyVersions.Where(v => v.SchoolId == school.Id).ToListAsync(cancellationToken);
        var active = versions.FirstOrDefault(v => v.IsActive);
        if (active is not null && string.Equals(active.Sha256, sha, StringComparison.Ordinal))
        {
            // The same file again: nothing changes, and nothing is audited as a new version.
            await transaction.CommitAsync(cancellationToken);
            return active;
        }

        // A school may go back to an earlier file; the unique (school, sha) index means we reactivate it.
        var target = versions.FirstOrDefault(v => string.Equals(v.Sha256, sha, StringComparison.Ordinal));
        foreach (var v in versions)
        {
            v.IsActive = false;
        }

        if (target is null)
        {
            target = new PolicyVersion
            {
                SchoolId = school.Id,
                Version = policy.Policy.Version,
                Yaml = yaml,
                Sha256 = sha,
                ApprovedOn = policy.Policy.Approved,
                LoadedAt = now,
                LoadedBy = actor,
            };
            db.PolicyVersions.Add(target);
        }

        // Two active rows must never exist, even for a moment the unique index cannot see: save the
        // deactivation first, then the activation.
        await db.SaveChangesAsync(cancellationToken);
        target.IsActive = true;
        await db.SaveChangesAsync(cancellationToken);

        var created = await CreateAgreementVersionsAsync(target, policy, now, cancellationToken);
        await audit.AppendAsync(school.Id, actor, AuditActions.PolicyVersion, subject: $"policy {policy.Policy.Version}",
            detail: $"sha256 {sha}; {created} new agreement text version(s)", cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.ForgetActive(school.Id);
        return target;
    }

    public async Task<IReadOnlyList<Data.Entities.School>> SchoolsAsync(CancellationToken cancellationToken) =>
        await db.Schools.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Resolves which school a request means: the one named, or the only one there is. Anything else is
    /// a 400 naming the problem, because guessing a school would show one school's people to another.
    /// </summary>
    public async Task<string> ResolveSchoolAsync(string? schoolId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(schoolId))
        {
            var id = schoolId.Trim();
            return await db.Schools.AnyAsync(s => s.Id == id, cancellationToken)
                ? id
                : throw new NotFoundException($"There is no school '{id}'.");
        }

        var ids = await db.Schools.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).Take(2).ToListAsync(cancellationToken);
        return ids.Count switch
        {
            1 => ids[0],
            0 => throw new InvalidException("No school has been set up yet: load a policy first (`brightline policy load FILE`)."),
            _ => throw new InvalidException("This installation serves several schools: say which one with school=ID (or --school ID)."),
        };
    }

    internal BrightlineDbContext Db => db;

    internal TimeProvider Time => time;

    private async Task<int> CreateAgreementVersionsAsync(PolicyVersion version, SchoolPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = await db.AgreementVersions.AsNoTracking()
            .Where(a => a.SchoolId == version.SchoolId)
            .Select(a => new { a.AgreementId, a.TextHash })
            .ToListAsync(cancellationToken);
        var known = existing.Select(e => (e.AgreementId, e.TextHash)).ToHashSet();
        var created = 0;
        foreach (var agreement in policy.Agreements)
        {
            var hash = AgreementText.Hash(policy, agreement);
            if (known.Contains((agreement.Id, hash)))
            {
                continue;
            }

            db.AgreementVersions.Add(new AgreementVersion
            {
                SchoolId = version.SchoolId,
                AgreementId = agreement.Id,
                Title = agreement.Title,
                TextHash = hash,
                Text = AgreementText.Canonical(policy, agreement),
                PolicyVersionId = version.Id,
                CreatedAt = now,
            });
            created++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    private async Task<IReadOnlyDictionary<string, AgreementVersion>> EnsureAgreementVersionsAsync(
        PolicyVersion version, SchoolPolicy policy, CancellationToken cancellationToken)
    {
        var hashes = policy.Agreements.ToDictionary(a => a.Id, a => AgreementText.Hash(policy, a), StringComparer.Ordinal);
        var hashList = hashes.Values.ToList();
        var rows = await db.AgreementVersions.AsNoTracking()
            .Where(a => a.SchoolId == version.SchoolId && hashList.Contains(a.TextHash))
            .ToListAsync(cancellationToken);
        var map = new Dictionary<string, AgreementVersion>(StringComparer.Ordinal);
        foreach (var (agreementId, hash) in hashes)
        {
            var row = rows.FirstOrDefault(r => string.Equals(r.AgreementId, agreementId, StringComparison.Ordinal)
                && string.Equals(r.TextHash, hash, StringComparison.Ordinal));
            if (row is not null)
            {
                map[agreementId] = row;
            }
        }

        if (map.Count < hashes.Count)
        {
            // Only reachable if a version was stored by other means (or a load was interrupted): heal it.
            await CreateAgreementVersionsAsync(version, policy, Utc(time.GetUtcNow()), cancellationToken);
            return await EnsureAgreementVersionsAsync(version, policy, cancellationToken);
        }

        return map;
    }

    private static DateTimeOffset Utc(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
}
