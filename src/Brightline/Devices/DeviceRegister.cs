using System.Globalization;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Devices;

/// <summary>
/// The device register (issue 14, point 1; H1, W3, F7, C15–C20): registers, edits, moves and attests devices. Every
/// change writes the device row, a <see cref="DeviceHistoryEntry"/> saying what changed (old → new) and the MAC index
/// (<see cref="DeviceMac"/>) in one SaveChanges, and an audit entry in the same transaction. Nothing is deleted:
/// disposal is a state whose history records how the data was wiped and by whom. Other features (the loan book,
/// lost-or-stolen reports, lost property, leavers, device requests) move a device with <see cref="StageStateChange"/>
/// and add their own history lines with <see cref="StageHistory"/> inside their own SaveChanges and transaction (or with
/// <see cref="ChangeStateAsync"/> / <see cref="RecordAsync"/>, which save and audit at once), so the register's history
/// is the device's whole story, written one way.
/// </summary>
public sealed class DeviceRegister(BrightlineDbContext db, PolicyStore policies, AuditLog audit, TimeProvider time)
{
    /// <summary>States a device ends in: nothing moves it on (F7, H15).</summary>
    public static readonly IReadOnlyList<DeviceState> Terminal = [DeviceState.Disposed];

    /// <summary>Registers a device. Throws <see cref="InvalidException"/> listing every problem with the details.</summary>
    public async Task<Device> AddAsync(string schoolId, DeviceInput input, string actor, CancellationToken cancellationToken, DeviceState state = DeviceState.InUse)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var values = await CheckAsync(schoolId, policy, input, null, DbLookup(schoolId), cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var device = Stage(schoolId, values, state, actor, "registered");
        await SaveAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, DeviceAuditActions.Registered, device.Id.ToString(), $"{device.Name} ({device.Kind.Key()}, {device.Ownership.Key()})", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return device;
    }

    /// <summary>
    /// Changes a device's details to <paramref name="input"/> (every field: a blank optional field clears it). The history
    /// row lists what changed, old → new; an edit that changes nothing writes nothing. Returns the changes in words.
    /// </summary>
    public async Task<IReadOnlyList<string>> EditAsync(string schoolId, Guid deviceId, DeviceInput input, string actor, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Id == deviceId, cancellationToken)
            ?? throw new NotFoundException("There is no such device in the school's register.");
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var values = await CheckAsync(schoolId, policy, input, device.Id, DbLookup(schoolId), cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var changes = await ApplyAsync(device, values, actor, cancellationToken);
        if (changes.Count > 0)
        {
            await SaveAsync(cancellationToken);
            await audit.AppendAsync(schoolId, actor, DeviceAuditActions.Edited, device.Id.ToString(), Truncate(string.Join("; ", changes), 1000), null, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return changes;
    }

    /// <summary>Assigns a device to a person, a class and/or a place (null clears), keeping its other details.</summary>
    public async Task<IReadOnlyList<string>> AssignAsync(string schoolId, Guid deviceId, Guid? personId, string? className, string? location, string actor, CancellationToken cancellationToken)
    {
        var d = await db.Set<Device>().AsNoTracking().FirstOrDefaultAsync(x => x.SchoolId == schoolId && x.Id == deviceId, cancellationToken)
            ?? throw new NotFoundException("There is no such device in the school's register.");
        return await EditAsync(schoolId, deviceId, ToInput(d) with { PersonId = personId, ClassName = className, Location = location }, actor, cancellationToken);
    }

    /// <summary>
    /// Moves a device to <paramref name="state"/> with a history row (<c>state.&lt;key&gt;</c>) saying from what, why
    /// (<paramref name="note"/>) and by whom, and an audit entry. The one way any feature changes a device's state: the
    /// loan book (on_loan ↔ in_use), lost-or-stolen reports (lost, stolen), lost property (found, in_custody), leavers.
    /// Disposal needs <paramref name="dataWipe"/> — how the data was wiped and by whom (H15, F7) — and is final.
    /// </summary>
    public async Task<Device> ChangeStateAsync(
        string schoolId, Guid deviceId, DeviceState state, string actor, string? note, CancellationToken cancellationToken, string? dataWipe = null)
    {
        var device = await db.Set<Device>().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Id == deviceId, cancellationToken)
            ?? throw new NotFoundException("There is no such device in the school's register.");
        var cleanNote = Optional(note, 1000, "The note is too long (1,000 characters at most).");
        var wipe = Optional(dataWipe, 1000, "The data wipe record is too long (1,000 characters at most).");
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var detail = StageStateChange(device, state, actor, cleanNote, dataWipe: wipe);
        await SaveAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, DeviceAuditActions.StateChanged, device.Id.ToString(), Truncate(detail, 1000), null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return device;
    }

    /// <summary>
    /// Stages a state change on a device the caller has loaded (tracked by this request's context): sets its state and
    /// UpdatedAt and adds the history row — <c>state.&lt;key&gt;</c>, or the feature's own <paramref name="action"/> (the loan
    /// book's <c>loan.out</c>) — reading "From → To. note". It neither saves nor opens a transaction, so a feature that
    /// must write its own rows with the change (the loan, the checklist line, the lost-property record) saves them all
    /// in its own SaveChanges and transaction; the audit entry stays the caller's. The same rules as
    /// <see cref="ChangeStateAsync"/>: a disposed device stays as it is, a "change" to the state it is in is refused
    /// (<see cref="ConflictException"/>), disposal needs <paramref name="dataWipe"/>. Returns the history row's detail.
    /// </summary>
    public string StageStateChange(Device device, DeviceState state, string actor, string? note, string? action = null, string? dataWipe = null, DateTimeOffset? at = null)
    {
        EnsureTracked(device);
        if (Terminal.Contains(device.State))
        {
            throw new ConflictException($"{device.Name} was disposed of; its record is kept as it is.", "Device disposed of");
        }

        if (device.State == state)
        {
            throw new ConflictException($"{device.Name} is already {Describe(state).ToLowerInvariant()}.", "No change");
        }

        var detail = new StringBuilder($"{Describe(device.State)} → {Describe(state)}");
        if (state == DeviceState.Disposed)
        {
            var wipe = string.IsNullOrWhiteSpace(dataWipe)
                ? throw new InvalidException("Say how the device's data was wiped and by whom (for example, \"Blancco erase by J Smith, certificate 1234\") before it is disposed of.", "Data wipe not recorded")
                : dataWipe.Trim();
            detail.Append(CultureInfo.InvariantCulture, $". Data wiped: {wipe}");
        }

        if (!string.IsNullOrWhiteSpace(note))
        {
            detail.Append(CultureInfo.InvariantCulture, $". {note.Trim()}");
        }

        var now = at ?? StoredTime.Now(time);
        device.State = state;
        device.UpdatedAt = now;
        var text = Truncate(detail.ToString(), 2000);
        History(device, Truncate(action ?? $"state.{state.Key()}", 64), text, actor, now);
        return text;
    }

    /// <summary>
    /// Stages a line in a tracked device's history for something that is not a state change (a loan signed back in to a
    /// device already moved on, a found device logged, a leaver's device unassigned), and touches its UpdatedAt; the
    /// caller saves it in its own transaction (what <see cref="RecordAsync"/> does, without saving or auditing). A device
    /// the caller has just added (a found device) may be given its first line this way.
    /// </summary>
    public void StageHistory(Device device, string action, string detail, string actor, DateTimeOffset? at = null)
    {
        EnsureTracked(device);
        History(device, Truncate(action, 64), detail, actor, at ?? StoredTime.Now(time));
    }

    /// <summary>A detached device would be "changed" and never saved: a caller's mistake, so it fails loudly.</summary>
    private void EnsureTracked(Device device)
    {
        if (db.Entry(device).State == EntityState.Detached)
        {
            throw new InvalidOperationException($"Device {device.Id} is not tracked by this request's context; load it (not AsNoTracking) before staging a change.");
        }
    }

    /// <summary>Records that a device is (or, <paramref name="confirmed"/> false, is not) encrypted, passcode-protected … (F7, C16, C17, W3).</summary>
    public async Task<DeviceAttestation> AttestAsync(string schoolId, Guid deviceId, string? kind, bool confirmed, string? note, string actor, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Id == deviceId, cancellationToken)
            ?? throw new NotFoundException("There is no such device in the school's register.");
        var key = kind?.Trim() ?? "";
        if (!DeviceAttestationKeys.All.Contains(key, StringComparer.Ordinal))
        {
            throw new InvalidException($"'{key}' is not something a device can be attested for; choose one of {string.Join(", ", DeviceAttestationKeys.All)}.");
        }

        var cleanNote = Optional(note, 1000, "The note is too long (1,000 characters at most).");
        var now = StoredTime.Now(time);
        var attestation = new DeviceAttestation { SchoolId = schoolId, DeviceId = device.Id, Kind = key, Confirmed = confirmed, At = now, AttestedBy = Truncate(actor, 256), Note = cleanNote };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<DeviceAttestation>().Add(attestation);
        device.UpdatedAt = now;
        var detail = $"{DeviceSafety.Describe(key)}: {(confirmed ? "confirmed" : "recorded as not so")}{(cleanNote is null ? "" : $". {cleanNote}")}";
        History(device, $"attested.{key}", detail, actor, now);
        await SaveAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, DeviceAuditActions.Attested, device.Id.ToString(), detail, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return attestation;
    }

    /// <summary>
    /// Adds a line to a device's history for something another feature did that is not a state change (a loan's
    /// "returned to suite, put on charge", a request's approval), with an audit entry. <paramref name="action"/> is a
    /// short key such as <c>loan.returned</c>.
    /// </summary>
    public async Task RecordAsync(string schoolId, Guid deviceId, string action, string detail, string actor, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Id == deviceId, cancellationToken)
            ?? throw new NotFoundException("There is no such device in the school's register.");
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        StageHistory(device, action, detail, actor);
        await SaveAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, DeviceAuditActions.Noted, device.Id.ToString(), Truncate($"{action}: {detail}", 1000), null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The device with that id at the school, or null.</summary>
    public Task<Device?> FindAsync(string schoolId, Guid deviceId, CancellationToken cancellationToken) =>
        db.Set<Device>().AsNoTracking().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Id == deviceId, cancellationToken);

    /// <summary>The device whose asset tag is <paramref name="assetTag"/> (any case), or null: what the loan kiosk's scan finds.</summary>
    public async Task<Device?> FindByTagAsync(string schoolId, string assetTag, CancellationToken cancellationToken)
    {
        var tag = assetTag.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311, CA1304 // EF translates ToLower() to SQL LOWER().
        return await db.Set<Device>().AsNoTracking().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.AssetTag != null && d.AssetTag.ToLower() == tag, cancellationToken);
#pragma warning restore CA1862, CA1311, CA1304
    }

    /// <summary>The device's history, oldest first.</summary>
    public async Task<IReadOnlyList<DeviceHistoryEntry>> HistoryAsync(string schoolId, Guid deviceId, CancellationToken cancellationToken) =>
        await db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.SchoolId == schoolId && h.DeviceId == deviceId)
            .OrderBy(h => h.At).ThenBy(h => h.Id).ToListAsync(cancellationToken);

    /// <summary>The device's attestations, newest first.</summary>
    public async Task<IReadOnlyList<DeviceAttestation>> AttestationsAsync(string schoolId, Guid deviceId, CancellationToken cancellationToken) =>
        await db.Set<DeviceAttestation>().AsNoTracking().Where(a => a.SchoolId == schoolId && a.DeviceId == deviceId)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).ToListAsync(cancellationToken);

    public static DeviceInput ToInput(Device d) =>
        new(d.AssetTag, d.Serial, d.Kind.Key(), d.Model, d.Name, d.Ownership.Key(), d.PersonId, d.ClassName, d.Location, d.DeviceGroup, d.Macs, d.Notes);

    public static string Describe(DeviceState state) => state switch
    {
        DeviceState.InUse => "In use",
        DeviceState.OnLoan => "On loan",
        DeviceState.InRepair => "In repair",
        DeviceState.Lost => "Lost",
        DeviceState.Stolen => "Stolen",
        DeviceState.InCustody => "In custody",
        DeviceState.Found => "Found",
        DeviceState.Disposed => "Disposed of",
        DeviceState.Withdrawn => "Withdrawn",
        _ => state.Key(),
    };

    public static string Describe(DeviceOwnership ownership) => ownership switch
    {
        DeviceOwnership.School => "School",
        DeviceOwnership.Personal => "Personal",
        DeviceOwnership.Unknown => "Unknown",
        _ => ownership.ToString(),
    };

    public static string Describe(DeviceKind kind) =>
        kind == DeviceKind.RemovableMedia ? "Removable media" : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(kind.Key());

    // ---- shared by the single-device operations and the import ----

    /// <summary>Answers "who has this tag / MAC, does this person exist" for the checks: the database, or an import's preloaded index.</summary>
    internal sealed record Lookup(
        Func<string, CancellationToken, Task<(Guid Id, string Name)?>> TagOwner,
        Func<string, CancellationToken, Task<(Guid Id, string Name)?>> MacOwner,
        Func<Guid, CancellationToken, Task<bool>> PersonExists);

    private Lookup DbLookup(string schoolId) => new(
        async (tag, ct) =>
        {
            var lower = tag.ToLowerInvariant();
#pragma warning disable CA1862, CA1311, CA1304
            var hit = await db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == schoolId && d.AssetTag != null && d.AssetTag.ToLower() == lower)
                .Select(d => new { d.Id, d.Name }).FirstOrDefaultAsync(ct);
#pragma warning restore CA1862, CA1311, CA1304
            return hit is null ? null : (hit.Id, hit.Name);
        },
        async (mac, ct) =>
        {
            var hit = await (from m in db.Set<DeviceMac>().AsNoTracking()
                             join d in db.Set<Device>() on m.DeviceId equals d.Id
                             where m.SchoolId == schoolId && m.Mac == mac
                             select new { d.Id, d.Name }).FirstOrDefaultAsync(ct);
            return hit is null ? null : (hit.Id, hit.Name);
        },
        (person, ct) => db.People.AnyAsync(p => p.SchoolId == schoolId && p.Id == person, ct));

    /// <summary>Checks and normalises <paramref name="input"/>; throws <see cref="InvalidException"/> naming every problem.</summary>
    internal static async Task<DeviceValues> CheckAsync(string schoolId, SchoolPolicy policy, DeviceInput input, Guid? self, Lookup lookup, CancellationToken cancellationToken)
    {
        var (values, errors) = await ValidateAsync(policy, input, self, lookup, cancellationToken);
        return errors.Count == 0 ? values! : throw new InvalidException(string.Join(" ", errors.Select(e => e.Message)), "The device's details are not right");
    }

    /// <summary>Every problem with the details, by field (the CSV import's columns), and the normalised values when there are none.</summary>
    internal static async Task<(DeviceValues? Values, List<DeviceFieldError> Errors)> ValidateAsync(
        SchoolPolicy policy, DeviceInput input, Guid? self, Lookup lookup, CancellationToken cancellationToken)
    {
        var errors = new List<DeviceFieldError>();
        string? Text(string field, string? value, int max, string label, bool required = false)
        {
            var v = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            if (v is null && required)
            {
                errors.Add(new(field, $"{label} is missing."));
            }
            else if (v is not null && v.Length > max)
            {
                errors.Add(new(field, $"{label} is longer than {max} characters."));
            }

            return v;
        }

        var tag = Text("asset_tag", input.AssetTag, 64, "The asset tag");
        var serial = Text("serial", input.Serial, 100, "The serial number");
        var model = Text("model", input.Model, 200, "The make and model", required: true);
        var name = Text("name", input.Name, 200, "The device's name", required: true);
        var className = Text("class", input.ClassName, 100, "The class");
        var location = Text("location", input.Location, 200, "The location");
        var notes = Text("notes", input.Notes, 2000, "The notes");

        var kindWord = input.Kind?.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
        DeviceKind kind = default;
        if (string.IsNullOrEmpty(kindWord) || !DeviceKinds.Words.TryParse(kindWord, out kind) || !policy.Devices.Kinds.Contains(kindWord, StringComparer.Ordinal))
        {
            errors.Add(new("kind", $"'{input.Kind}' is not a kind of device the policy covers; use one of {string.Join(", ", policy.Devices.Kinds)}."));
        }

        var ownershipWord = string.IsNullOrWhiteSpace(input.Ownership) ? "school" : input.Ownership.Trim().ToLowerInvariant();
        if (!DeviceOwnerships.Words.TryParse(ownershipWord, out var ownership))
        {
            errors.Add(new("ownership", $"'{input.Ownership}' is not an ownership; use school, personal or unknown."));
        }

        var group = Text("device_group", input.DeviceGroup, 64, "The device group");
        if (group is not null && !policy.Network.DeviceGroups.Contains(group, StringComparer.Ordinal))
        {
            var known = policy.Network.DeviceGroups.Count == 0 ? "the policy lists no network.device_groups" : $"the policy's device groups are {string.Join(", ", policy.Network.DeviceGroups)}";
            errors.Add(new("device_group", $"'{group}' is not a device group ({known})."));
        }

        var macs = new List<string>();
        foreach (var raw in (input.Macs ?? "").Split([' ', ',', ';', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!MacAddresses.TryNormalise(raw, out var mac))
            {
                errors.Add(new("macs", $"'{raw}' is not a MAC address (e.g. aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF or aabbccddeeff)."));
            }
            else if (!macs.Contains(mac, StringComparer.Ordinal))
            {
                macs.Add(mac);
            }
        }

        if (macs.Count > 0 && (macs.Count * 18) - 1 > 200)
        {
            errors.Add(new("macs", "A device has at most 11 MAC addresses."));
        }

        foreach (var mac in macs)
        {
            if (await lookup.MacOwner(mac, cancellationToken) is { } owner && owner.Id != self)
            {
                errors.Add(new("macs", $"{mac} is already the MAC address of '{owner.Name}'."));
            }
        }

        if (tag is not null && await lookup.TagOwner(tag, cancellationToken) is { } tagOwner && tagOwner.Id != self)
        {
            errors.Add(new("asset_tag", $"The asset tag '{tag}' is already on '{tagOwner.Name}': asset tags are unique in the school."));
        }

        if (input.PersonId is { } person && !await lookup.PersonExists(person, cancellationToken))
        {
            errors.Add(new("person", "The person is not someone at this school."));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new DeviceValues(tag, serial, kind, model!, name!, ownership, input.PersonId, className, location, group, macs, notes), errors);
    }

    /// <summary>Adds a new device (and its MAC rows and "registered" history row) to the context; the caller saves.</summary>
    internal Device Stage(string schoolId, DeviceValues v, DeviceState state, string actor, string action, string? detailSuffix = null)
    {
        var now = StoredTime.Now(time);
        var device = new Device
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, AssetTag = v.AssetTag, Serial = v.Serial, Kind = v.Kind, Model = v.Model, Name = v.Name,
            Ownership = v.Ownership, State = state, PersonId = v.PersonId, ClassName = v.ClassName, Location = v.Location, DeviceGroup = v.DeviceGroup,
            Macs = string.Join(' ', v.Macs), Notes = v.Notes, CreatedAt = now, CreatedBy = Truncate(actor, 256), UpdatedAt = now,
        };
        db.Set<Device>().Add(device);
        foreach (var mac in v.Macs)
        {
            db.Set<DeviceMac>().Add(new DeviceMac { SchoolId = schoolId, Mac = mac, DeviceId = device.Id });
        }

        var detail = $"Registered: {Describe(v.Kind)}, {v.Model}, {Describe(v.Ownership).ToLowerInvariant()}-owned, {Describe(state).ToLowerInvariant()}"
            + (v.AssetTag is null ? "" : $", asset tag {v.AssetTag}") + (v.Macs.Count == 0 ? "" : $", MAC {string.Join(' ', v.Macs)}") + (detailSuffix ?? "");
        History(device, action, detail, actor, now);
        return device;
    }

    /// <summary>What would change, in words (old → new); <paramref name="personName"/> names a person id.</summary>
    internal static List<string> Diff(Device device, DeviceValues v, Func<Guid?, string> personName)
    {
        var changes = new List<string>();
        void Change(string label, string? before, string? after)
        {
            if (!string.Equals(before ?? "", after ?? "", StringComparison.Ordinal))
            {
                changes.Add($"{label}: {Show(before)} → {Show(after)}");
            }
        }

        Change("Asset tag", device.AssetTag, v.AssetTag);
        Change("Serial", device.Serial, v.Serial);
        Change("Kind", Describe(device.Kind), Describe(v.Kind));
        Change("Model", device.Model, v.Model);
        Change("Name", device.Name, v.Name);
        Change("Ownership", Describe(device.Ownership), Describe(v.Ownership));
        if (device.PersonId != v.PersonId)
        {
            changes.Add($"Person: {personName(device.PersonId)} → {personName(v.PersonId)}");
        }

        Change("Class", device.ClassName, v.ClassName);
        Change("Location", device.Location, v.Location);
        Change("Device group", device.DeviceGroup, v.DeviceGroup);
        Change("MAC addresses", device.Macs, string.Join(' ', v.Macs));
        Change("Notes", device.Notes, v.Notes);
        return changes;
    }

    /// <summary>Applies changed values to a tracked device (and its MAC rows) with a history row of the changes; the caller saves.</summary>
    internal async Task<List<string>> ApplyAsync(Device device, DeviceValues v, string actor, CancellationToken cancellationToken, IReadOnlyDictionary<Guid, string>? names = null)
    {
        if (names is null)
        {
            Guid?[] ids = [device.PersonId, v.PersonId];
            var wanted = ids.OfType<Guid>().Distinct().ToList();
            names = wanted.Count == 0 ? new Dictionary<Guid, string>()
                : await db.People.AsNoTracking().Where(p => wanted.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.GivenName + " " + p.FamilyName, cancellationToken);
        }

        var changes = Diff(device, v, id => id is { } pid && names.TryGetValue(pid, out var n) ? n : "—");
        if (changes.Count == 0)
        {
            return changes;
        }

        var macs = string.Join(' ', v.Macs);
        if (!string.Equals(device.Macs, macs, StringComparison.Ordinal))
        {
            var rows = await db.Set<DeviceMac>().Where(m => m.SchoolId == device.SchoolId && m.DeviceId == device.Id).ToListAsync(cancellationToken);
            db.Set<DeviceMac>().RemoveRange(rows.Where(r => !v.Macs.Contains(r.Mac, StringComparer.Ordinal)));
            foreach (var mac in v.Macs.Where(m => !rows.Exists(r => r.Mac == m)))
            {
                db.Set<DeviceMac>().Add(new DeviceMac { SchoolId = device.SchoolId, Mac = mac, DeviceId = device.Id });
            }
        }

        (device.AssetTag, device.Serial, device.Kind, device.Model, device.Name, device.Ownership) = (v.AssetTag, v.Serial, v.Kind, v.Model, v.Name, v.Ownership);
        (device.PersonId, device.ClassName, device.Location, device.DeviceGroup, device.Macs, device.Notes) = (v.PersonId, v.ClassName, v.Location, v.DeviceGroup, macs, v.Notes);
        var now = StoredTime.Now(time);
        device.UpdatedAt = now;
        History(device, "edited", Truncate(string.Join("; ", changes), 2000), actor, now);
        return changes;
    }

    private void History(Device device, string action, string detail, string actor, DateTimeOffset at) =>
        db.Set<DeviceHistoryEntry>().Add(new DeviceHistoryEntry
        {
            SchoolId = device.SchoolId, DeviceId = device.Id, At = at, Action = action, Detail = Truncate(detail, 2000), Actor = Truncate(actor, 256),
        });

    /// <summary>Saves; a unique index hit (two keepers registering the same tag or MAC at once) is a conflict in words, not a crash.</summary>
    internal async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException?.Message.Contains("unique", StringComparison.OrdinalIgnoreCase) == true
            || e.InnerException?.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) == true)
        {
            db.ChangeTracker.Clear();
            throw new ConflictException("Another device was just given the same asset tag or MAC address. Reload and check the register.", "Asset tag or MAC already used");
        }
    }

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "—" : $"'{value}'";

    internal static string? Optional(string? value, int max, string tooLong)
    {
        var v = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return v is not null && v.Length > max ? throw new InvalidException(tooLong) : v;
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
