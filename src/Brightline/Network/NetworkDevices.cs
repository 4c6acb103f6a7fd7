using System.Globalization;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// The school's devices for MAC authentication (O21, C3) as <c>brightline radius devices import|list|remove</c> sees
/// them: since issue 14 these are the device register's devices and their MAC index (<see cref="DeviceMac"/>); the old
/// <c>network_devices</c> table was copied into the register by V0025 and is no longer read. An import (<c>mac,name,group</c>)
/// registers a school device, in use, for each new MAC and updates the name and group of the device a known MAC
/// belongs to, each with its history row; a file with any bad line stores nothing and reports every bad line.
/// "Remove" takes the MAC off its device (the device stays in the register, with the change in its history).
/// </summary>
public sealed class NetworkDevices(BrightlineDbContext db, PolicyStore policies, AuditLog audit, DeviceRegister register)
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

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var registered = await (from m in db.Set<DeviceMac>() join d in db.Set<Device>() on m.DeviceId equals d.Id where m.SchoolId == schoolId select new { m.Mac, Device = d })
            .ToDictionaryAsync(x => x.Mac, x => x.Device, StringComparer.Ordinal, cancellationToken);
        var (added, updated) = (0, 0);
        foreach (var (mac, row) in rows)
        {
            if (registered.TryGetValue(mac, out var device))
            {
                if (device.Name != row.Name || device.DeviceGroup != row.Group)
                {
                    await register.ApplyAsync(device, Values(device) with { Name = row.Name, DeviceGroup = row.Group }, actor, cancellationToken);
                    updated++;
                }

                continue;
            }

            register.Stage(schoolId, new DeviceValues(null, null, GuessKind(row.Name, row.Group), "(not recorded)", row.Name, DeviceOwnership.School,
                null, null, null, row.Group, [mac], $"Registered for the network from {source}."), DeviceState.InUse, actor, "registered", $" (from {source})");
            added++;
        }

        await register.SaveAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, NetworkAuditActions.DevicesImported, source, $"{added} added, {updated} updated", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new DeviceImportResult(added, updated, []);
    }

    /// <summary>Every registered MAC of the school with its device's group, name and state.</summary>
    public async Task<IReadOnlyList<RegisteredMac>> ListAsync(string schoolId, CancellationToken cancellationToken)
    {
        var rows = await (from m in db.Set<DeviceMac>().AsNoTracking()
                          join d in db.Set<Device>() on m.DeviceId equals d.Id
                          where m.SchoolId == schoolId
                          select new { m.Mac, d.DeviceGroup, d.Name, d.State }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new RegisteredMac(r.Mac, r.DeviceGroup, r.Name, r.State))
            .OrderBy(r => r.DeviceGroup, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Mac, StringComparer.Ordinal)];
    }

    /// <summary>Takes a MAC (any spelling) off its device, so its next MAC authentication is refused; false when the school has no such MAC.</summary>
    public async Task<bool> RemoveAsync(string schoolId, string mac, string actor, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryNormalise(mac, out var normal))
        {
            throw new InvalidException($"'{mac}' is not a MAC address.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var device = await (from m in db.Set<DeviceMac>() join d in db.Set<Device>() on m.DeviceId equals d.Id
                            where m.SchoolId == schoolId && m.Mac == normal select d).FirstOrDefaultAsync(cancellationToken);
        if (device is null)
        {
            return false;
        }

        var values = Values(device);
        await register.ApplyAsync(device, values with { Macs = [.. values.Macs.Where(m => m != normal)] }, actor, cancellationToken);
        await register.SaveAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, NetworkAuditActions.DeviceRemoved, normal, $"{device.Name} ({device.DeviceGroup})", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    private static DeviceValues Values(Device d) => new(d.AssetTag, d.Serial, d.Kind, d.Model, d.Name, d.Ownership, d.PersonId, d.ClassName, d.Location,
        d.DeviceGroup, d.Macs.Split(' ', StringSplitOptions.RemoveEmptyEntries), d.Notes);

    /// <summary>The network's list says no kind; the name or group usually does ("Class 3 iPad 1", "chromebooks").</summary>
    private static DeviceKind GuessKind(string name, string group)
    {
        var text = $"{name} {group}".ToLowerInvariant();
        return text.Contains("ipad", StringComparison.Ordinal) || text.Contains("tablet", StringComparison.Ordinal) ? DeviceKind.Tablet
            : text.Contains("chromebook", StringComparison.Ordinal) ? DeviceKind.Chromebook
            : text.Contains("laptop", StringComparison.Ordinal) ? DeviceKind.Laptop
            : text.Contains("desktop", StringComparison.Ordinal) || text.Contains(" pc", StringComparison.Ordinal) ? DeviceKind.Desktop
            : DeviceKind.Other;
    }
}
