using System.Globalization;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Devices;

/// <summary>
/// Imports devices from CSV (issue 14, point 1): the columns of <see cref="DeviceCsv"/> (kind, model and name required;
/// others optional, in any order, headers compared without case, spaces or punctuation). A row whose asset tag — or,
/// without one, serial number — is already in the register updates that device (only the columns the file has; a blank
/// cell clears); any other row adds a device. Every row is checked as a form would be, and every problem is reported with
/// its row, column and message; a file with any problem stores nothing, so a keeper corrects it and imports it again.
/// </summary>
public sealed class DeviceImporter(BrightlineDbContext db, PolicyStore policies, DeviceRegister register, AuditLog audit)
{
    public const int MaxRows = 20_000;

    private static readonly (string Key, string[] Names)[] s_columns =
    [
        ("asset_tag", ["assettag", "tag", "asset", "assetnumber"]),
        ("serial", ["serial", "serialnumber", "serialno"]),
        ("kind", ["kind", "type", "devicekind", "devicetype"]),
        ("model", ["model", "makeandmodel", "makemodel"]),
        ("name", ["name", "devicename"]),
        ("ownership", ["ownership", "owned", "ownedby"]),
        ("state", ["state", "status"]),
        ("person", ["person", "assignedto", "personid", "staffcode", "admissionnumber", "misid", "user"]),
        ("class", ["class", "classname", "form"]),
        ("location", ["location", "room", "where"]),
        ("device_group", ["devicegroup", "group", "networkgroup"]),
        ("macs", ["macs", "mac", "macaddress", "macaddresses", "wifimac"]),
        ("notes", ["notes", "note", "comments"]),
    ];

    private static readonly string[] s_required = ["kind", "model", "name"];

    public async Task<DeviceImportReport> ImportAsync(string schoolId, Stream file, bool dryRun, string actor, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var errors = new List<DeviceImportError>();
        var changes = new List<DeviceImportChange>();

        // The register, indexed once: a 5,000-device school is a few hundred kilobytes, and a row then costs no query.
        var devices = await db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == schoolId).ToListAsync(cancellationToken);
        var byTag = devices.Where(d => d.AssetTag is not null).GroupBy(d => d.AssetTag!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        var bySerial = devices.Where(d => d.Serial is not null).GroupBy(d => d.Serial!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        var macOwners = new Dictionary<string, (Guid Id, string Name)>(StringComparer.Ordinal);
        foreach (var d in devices)
        {
            foreach (var m in d.Macs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                macOwners[m] = (d.Id, d.Name);
            }
        }

        var tagOwners = byTag.ToDictionary(kv => kv.Key, kv => (kv.Value.Id, kv.Value.Name), StringComparer.Ordinal);
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId)
            .Select(p => new { p.Id, p.ExternalId, p.Email, Name = p.GivenName + " " + p.FamilyName }).ToListAsync(cancellationToken);
        var peopleById = people.ToDictionary(p => p.Id);
        var lookup = new DeviceRegister.Lookup(
            (tag, _) => Task.FromResult<(Guid, string)?>(tagOwners.TryGetValue(tag.ToLowerInvariant(), out var o) ? o : null),
            (mac, _) => Task.FromResult<(Guid, string)?>(macOwners.TryGetValue(mac, out var o) ? o : null),
            (id, _) => Task.FromResult(peopleById.ContainsKey(id)));

        var accepted = new List<(int Row, Device? Existing, DeviceValues Values, DeviceState State)>();
        var rowsRead = 0;
        using (var reader = new StreamReader(file, detectEncodingFromByteOrderMarks: true))
        using (var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true, MissingFieldFound = null, BadDataFound = null, DetectDelimiter = true, TrimOptions = TrimOptions.Trim, IgnoreBlankLines = true,
        }))
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                return Refused(dryRun, [new DeviceImportError(1, "header", "The file is empty: expected a header row such as asset_tag,kind,model,name,macs.")]);
            }

            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                var h = new string([.. header[i].Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
                if (s_columns.FirstOrDefault(c => c.Names.Contains(h) || c.Key.Replace("_", "", StringComparison.Ordinal) == h).Key is { } key)
                {
                    index.TryAdd(key, i);
                }
            }

            var missing = s_required.Where(k => !index.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                return Refused(dryRun, [new DeviceImportError(1, "header",
                    $"The header has no column for {string.Join(", ", missing)} (columns found: {string.Join(", ", header)}).")]);
            }

            var seenTags = new Dictionary<string, int>(StringComparer.Ordinal);
            var seenMacs = new Dictionary<string, int>(StringComparer.Ordinal);
            while (await csv.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = csv.Parser.Row;
                if (++rowsRead > MaxRows)
                {
                    errors.Add(new DeviceImportError(row, "file", $"The file has more than {MaxRows:N0} devices; split it."));
                    break;
                }

                string? Cell(string key) => index.TryGetValue(key, out var i) ? csv.GetField(i) : null;
                var tagCell = Cell("asset_tag");
                var serialCell = Cell("serial");
                Device? existing = null;
                if (!string.IsNullOrWhiteSpace(tagCell))
                {
                    byTag.TryGetValue(tagCell.Trim().ToLowerInvariant(), out existing);
                }
                else if (!string.IsNullOrWhiteSpace(serialCell))
                {
                    bySerial.TryGetValue(serialCell.Trim().ToLowerInvariant(), out existing);
                }

                // Columns the file does not have keep the device's values; new devices start blank.
                string? Value(string key, string? current) => index.ContainsKey(key) ? Cell(key) : current;
                var rowErrors = new List<DeviceImportError>();
                Guid? personId = existing?.PersonId;
                if (index.ContainsKey("person"))
                {
                    var typed = Cell("person")?.Trim();
                    personId = null;
                    if (!string.IsNullOrEmpty(typed))
                    {
                        var lower = typed.ToLowerInvariant();
                        var matches = people.Where(p => string.Equals(p.ExternalId, typed, StringComparison.OrdinalIgnoreCase)
                            || string.Equals(p.Email, typed, StringComparison.OrdinalIgnoreCase)
                            || string.Equals(p.Name, typed, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
                        if (matches.Count == 1)
                        {
                            personId = matches[0].Id;
                        }
                        else
                        {
                            rowErrors.Add(new DeviceImportError(row, "person", matches.Count == 0
                                ? $"Nobody at the school has the name, email or MIS ID \"{typed}\"."
                                : $"More than one person is called \"{typed}\"; use their admission number or staff code."));
                        }
                    }
                }

                var input = new DeviceInput(
                    Value("asset_tag", existing?.AssetTag), Value("serial", existing?.Serial), Value("kind", existing?.Kind.Key()), Value("model", existing?.Model),
                    Value("name", existing?.Name), Value("ownership", existing?.Ownership.Key()), rowErrors.Count > 0 ? null : personId,
                    Value("class", existing?.ClassName), Value("location", existing?.Location), Value("device_group", existing?.DeviceGroup),
                    Value("macs", existing?.Macs), Value("notes", existing?.Notes));
                var (values, fieldErrors) = await DeviceRegister.ValidateAsync(policy, input, existing?.Id, lookup, cancellationToken);
                rowErrors.AddRange(fieldErrors.Select(e => new DeviceImportError(row, e.Field, e.Message)));

                var state = existing?.State ?? DeviceState.InUse;
                var stateCell = Cell("state")?.Trim().ToLowerInvariant().Replace(' ', '_');
                if (!string.IsNullOrEmpty(stateCell))
                {
                    if (!DeviceStates.Words.TryParse(stateCell, out var s))
                    {
                        rowErrors.Add(new DeviceImportError(row, "state", $"'{stateCell}' is not a state; use in_use or in_repair."));
                    }
                    else if (existing is null && s is not (DeviceState.InUse or DeviceState.InRepair))
                    {
                        rowErrors.Add(new DeviceImportError(row, "state", "A new device is in_use or in_repair; record loans, losses and disposal on the device's page."));
                    }
                    else if (existing is not null && s != existing.State)
                    {
                        rowErrors.Add(new DeviceImportError(row, "state",
                            $"The file says {stateCell} but the register says {existing.State.Key()}: change a device's state on its page, where the change is recorded with its reason."));
                    }
                    else
                    {
                        state = s;
                    }
                }

                // Two rows of the file may not claim the same asset tag or MAC.
                if (values is not null)
                {
                    if (values.AssetTag is { } t && seenTags.TryGetValue(t.ToLowerInvariant(), out var first))
                    {
                        rowErrors.Add(new DeviceImportError(row, "asset_tag", $"The asset tag '{t}' is already on row {first}."));
                    }

                    foreach (var m in values.Macs.Where(seenMacs.ContainsKey))
                    {
                        rowErrors.Add(new DeviceImportError(row, "macs", $"{m} is already on row {seenMacs[m]}."));
                    }
                }

                if (rowErrors.Count > 0 || values is null)
                {
                    errors.AddRange(rowErrors);
                    continue;
                }

                if (values.AssetTag is { } tagSeen)
                {
                    seenTags[tagSeen.ToLowerInvariant()] = row;
                }

                foreach (var m in values.Macs)
                {
                    seenMacs[m] = row;
                }

                accepted.Add((row, existing, values, state));
                if (existing is null)
                {
                    changes.Add(new DeviceImportChange(row, "add", values.AssetTag, values.Name, $"{DeviceRegister.Describe(values.Kind)}, {values.Model}"));
                }
                else
                {
                    var diff = DeviceRegister.Diff(existing, values, id => id is { } p && peopleById.TryGetValue(p, out var n) ? n.Name : "—");
                    changes.Add(new DeviceImportChange(row, diff.Count == 0 ? "unchanged" : "update", values.AssetTag, values.Name, diff.Count == 0 ? null : string.Join("; ", diff)));
                }
            }
        }

        var added = changes.Count(c => c.Action == "add");
        var updated = changes.Count(c => c.Action == "update");
        var unchanged = changes.Count(c => c.Action == "unchanged");
        if (errors.Count > 0 || dryRun)
        {
            return new DeviceImportReport(dryRun, false, rowsRead, added, updated, unchanged, errors, changes);
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = accepted.Where(a => a.Existing is not null).Select(a => a.Existing!.Id).ToList();
        var tracked = ids.Count == 0 ? [] : await db.Set<Device>().Where(d => d.SchoolId == schoolId && ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var names = people.ToDictionary(p => p.Id, p => p.Name);
        foreach (var (_, existing, values, state) in accepted)
        {
            if (existing is null)
            {
                register.Stage(schoolId, values, state, actor, "registered", " (imported)");
            }
            else
            {
                await register.ApplyAsync(tracked[existing.Id], values, actor, cancellationToken, names);
            }
        }

        await register.SaveAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, DeviceAuditActions.Imported, null, $"{added} added, {updated} updated, {unchanged} unchanged", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new DeviceImportReport(false, true, rowsRead, added, updated, unchanged, [], changes);
    }

    private static DeviceImportReport Refused(bool dryRun, IReadOnlyList<DeviceImportError> errors) => new(dryRun, false, 0, 0, 0, 0, errors, []);
}
