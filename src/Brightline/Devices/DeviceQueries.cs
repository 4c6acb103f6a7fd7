using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Devices;

/// <summary>
/// Searches the register in the database — a school may hold 5,000 devices, so filtering, counting and paging are SQL,
/// and only the page asked for is read. Every query is the caller's school's.
/// </summary>
public sealed class DeviceQueries(BrightlineDbContext db)
{
    public const int PageSize = 50;

    /// <summary>The filtered devices in name order; throws <see cref="InvalidException"/> for a filter value that is no kind, state, ownership or attestation.</summary>
    public IQueryable<Device> Filtered(string schoolId, DevicesPolicy policy, DeviceFilter filter)
    {
        var q = db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == schoolId);
        if (!string.IsNullOrWhiteSpace(filter.Kind))
        {
            var kind = DeviceKinds.Words.TryParse(filter.Kind.Trim(), out var k) ? k
                : throw new InvalidException($"'{filter.Kind}' is not a kind of device; use one of {string.Join(", ", DeviceKinds.Words.All.Select(x => x.Key()))}.");
            q = q.Where(d => d.Kind == kind);
        }

        if (!string.IsNullOrWhiteSpace(filter.Ownership))
        {
            var ownership = DeviceOwnerships.Words.TryParse(filter.Ownership.Trim(), out var o) ? o : throw new InvalidException($"'{filter.Ownership}' is not an ownership; use school, personal or unknown.");
            q = q.Where(d => d.Ownership == ownership);
        }

        if (!string.IsNullOrWhiteSpace(filter.State))
        {
            var state = DeviceStates.Words.TryParse(filter.State.Trim(), out var s) ? s
                : throw new InvalidException($"'{filter.State}' is not a device state; use one of {string.Join(", ", DeviceStates.Words.All.Select(x => x.Key()))}.");
            q = q.Where(d => d.State == state);
        }

#pragma warning disable CA1862, CA1311, CA1304 // EF translates ToLower() to SQL LOWER(), the same on SQLite and PostgreSQL.
        if (!string.IsNullOrWhiteSpace(filter.ClassName))
        {
            var cls = filter.ClassName.Trim().ToLowerInvariant();
            q = q.Where(d => d.ClassName != null && d.ClassName.ToLower() == cls);
        }

        if (!string.IsNullOrWhiteSpace(filter.Missing))
        {
            var key = filter.Missing.Trim();
            if (!DeviceAttestationKeys.All.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidException($"'{key}' is not an attestation; use one of {string.Join(", ", DeviceAttestationKeys.All)}.");
            }

            // School devices of the kinds the policy's rules ask this of, whose latest attestation of it is not a confirmation.
            var kinds = DeviceSafety.KindsRequiring(policy, key).ToList();
            var attestations = db.Set<DeviceAttestation>();
            q = q.Where(d => d.Ownership == DeviceOwnership.School && kinds.Contains(d.Kind)
                && !attestations.Where(a => a.SchoolId == schoolId && a.DeviceId == d.Id && a.Kind == key)
                    .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Confirmed).FirstOrDefault());
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var s = filter.Search.Trim().ToLowerInvariant();
            var mac = MacAddresses.TryNormalise(s, out var m) ? m : s;
            var people = db.People.Where(p => p.SchoolId == schoolId && (p.GivenName + " " + p.FamilyName).ToLower().Contains(s)).Select(p => (Guid?)p.Id);
            q = q.Where(d => (d.AssetTag != null && d.AssetTag.ToLower().Contains(s))
                || (d.Serial != null && d.Serial.ToLower().Contains(s))
                || d.Name.ToLower().Contains(s)
                || d.Model.ToLower().Contains(s)
                || d.Macs.Contains(mac)
                || (d.PersonId != null && people.Contains(d.PersonId)));
        }
#pragma warning restore CA1862, CA1311, CA1304

        return q.OrderBy(d => d.Name).ThenBy(d => d.AssetTag).ThenBy(d => d.Id);
    }

    /// <summary>One page of the filtered list, with the assigned people's names.</summary>
    public async Task<Portal.Paged<DeviceRow>> PageAsync(string schoolId, DevicesPolicy policy, DeviceFilter filter, int page, CancellationToken cancellationToken)
    {
        var q = Filtered(schoolId, policy, filter);
        var total = await q.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var number = Math.Clamp(page, 1, pages);
        var devices = await q.Skip((number - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new Portal.Paged<DeviceRow>(await WithNamesAsync(schoolId, devices, cancellationToken), number, total);
    }

    public async Task<List<DeviceRow>> WithNamesAsync(string schoolId, IReadOnlyList<Device> devices, CancellationToken cancellationToken)
    {
        var ids = devices.Where(d => d.PersonId is not null).Select(d => d.PersonId!.Value).Distinct().ToList();
        var names = ids.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.GivenName + " " + p.FamilyName, cancellationToken);
        return [.. devices.Select(d => new DeviceRow(d, d.PersonId is { } id && names.TryGetValue(id, out var n) ? n : null))];
    }

    /// <summary>The classes the register's devices belong to, for the class filter.</summary>
    public async Task<List<string>> ClassesAsync(string schoolId, CancellationToken cancellationToken) =>
        await db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == schoolId && d.ClassName != null)
            .Select(d => d.ClassName!).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
}
