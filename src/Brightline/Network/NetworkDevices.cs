using System.Globalization;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// The school's registered devices for MAC authentication (O21, C3), kept in <c>network_devices</c> and filled from a
/// CSV file (<c>mac,name,group</c>) by <c>brightline radius devices import</c>. An import adds new MACs and updates
/// the name and group of known ones; a file with any bad line stores nothing and reports every bad line. This is the
/// minimal list issue 13 needs; the device register (issue 14) can replace the import and keep the table.
/// </summary>
public sealed class NetworkDevices(BrightlineDbContext db, PolicyStore policies, AuditLog audit, TimeProvider time)
{
    public const int MaxRows = 100_000;

    /// <summary>Accepted header names, compared without case, spaces or punctuation ("MAC address" is macaddress).</summary>
    private static readonly Dictionary<string, string[]> s_columns = new(StringComparer.Ordinal)
    {
        ["mac"] = ["mac", "macaddress", "wifimac", "wifimacaddress"],
        ["name"] = ["name", "devicename", "device", "asset", "assettag"],
        ["group"] = ["group", "devicegroup"],
    };

    public async Task<DeviceImportResult> ImportAsync(string schoolId, Stream file, string source, string actor, CancellationToken cancellationToken)
    {
        var groups = (await policies.ActiveAsync(schoolId, cancellationToken)).Network.DeviceGroups;
        var errors = new List<DeviceImportError>();
        var rows = new Dictionary<string, (int Line, string Name, string Group)>(StringComparer.Ordinal);
        using (var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true))
        using (var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            MissingFieldFound = null,
            BadDataFound = null,
            DetectDelimiter = true,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
        }))
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                return new DeviceImportResult(0, 0, [new DeviceImportError(1, "the file is empty: expected a header row mac,name,group")]);
            }

            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                var h = new string([.. header[i].Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
                if (s_columns.FirstOrDefault(c => c.Value.Contains(h)).Key is { } key)
                {
                    index.TryAdd(key, i);
                }
            }

            var missing = s_columns.Keys.Where(k => !index.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                return new DeviceImportResult(0, 0,
                    [new DeviceImportError(1, $"the header has no column for {string.Join(", ", missing)} (columns found: {string.Join(", ", header)}); expected mac,name,group")]);
            }

            while (await csv.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var line = csv.Parser.RawRow;
                if (rows.Count + errors.Count >= MaxRows)
                {
                    errors.Add(new DeviceImportError(line, $"the file has more than {MaxRows} devices; split it"));
                    break;
                }

                var rawMac = csv.GetField(index["mac"]) ?? "";
                var name = csv.GetField(index["name"]) ?? "";
                var group = csv.GetField(index["group"]) ?? "";
                if (!MacAddress.TryNormalise(rawMac, out var mac))
                {
                    errors.Add(new DeviceImportError(line, $"'{rawMac}' is not a MAC address (e.g. aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF or aabbccddeeff)"));
                    continue;
                }

                if (name.Length is 0 or > 200)
                {
                    errors.Add(new DeviceImportError(line, "the device's name is missing or longer than 200 characters"));
                    continue;
                }

                if (!groups.Contains(group, StringComparer.Ordinal))
                {
                    var known = groups.Count == 0 ? "the policy lists no network.device_groups" : $"the policy's device groups are {string.Join(", ", groups)}";
                    errors.Add(new DeviceImportError(line, $"'{group}' is not a device group ({known})"));
                    continue;
                }

                if (rows.TryGetValue(mac, out var first))
                {
                    errors.Add(new DeviceImportError(line, $"{mac} is already on line {first.Line}"));
                    continue;
                }

                rows[mac] = (line, name, group);
            }
        }

        if (errors.Count > 0)
        {
            return new DeviceImportResult(0, 0, errors);
        }

        var now = StoredTime.Now(time);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Set<NetworkDevice>().Where(d => d.SchoolId == schoolId).ToDictionaryAsync(d => d.Mac, StringComparer.Ordinal, cancellationToken);
        var (added, updated) = (0, 0);
        foreach (var (mac, row) in rows)
        {
            if (existing.TryGetValue(mac, out var device))
            {
                if (device.Name != row.Name || device.DeviceGroup != row.Group)
                {
                    (device.Name, device.DeviceGroup, device.Source) = (row.Name, row.Group, source);
                    updated++;
                }

                continue;
            }

            db.Set<NetworkDevice>().Add(new NetworkDevice
            {
                SchoolId = schoolId, Mac = mac, Name = row.Name, DeviceGroup = row.Group, AddedAt = now, AddedBy = actor, Source = source,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, NetworkAuditActions.DevicesImported, source, $"{added} added, {updated} updated", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new DeviceImportResult(added, updated, []);
    }

    public async Task<IReadOnlyList<NetworkDevice>> ListAsync(string schoolId, CancellationToken cancellationToken) =>
        await db.Set<NetworkDevice>().AsNoTracking().Where(d => d.SchoolId == schoolId)
            .OrderBy(d => d.DeviceGroup).ThenBy(d => d.Name).ThenBy(d => d.Mac).ToListAsync(cancellationToken);

    /// <summary>Removes a device by its MAC (any spelling); false when the school has no such device.</summary>
    public async Task<bool> RemoveAsync(string schoolId, string mac, string actor, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryNormalise(mac, out var normal))
        {
            throw new InvalidException($"'{mac}' is not a MAC address.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var device = await db.Set<NetworkDevice>().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Mac == normal, cancellationToken);
        if (device is null)
        {
            return false;
        }

        db.Set<NetworkDevice>().Remove(device);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, NetworkAuditActions.DeviceRemoved, normal, $"{device.Name} ({device.DeviceGroup})", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }
}
