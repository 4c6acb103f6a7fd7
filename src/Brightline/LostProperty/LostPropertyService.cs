using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.LostProperty;

/// <summary>
/// Lost property (H15: "unnamed found devices go to the Head of IT, are held at most one term, then disposed of").
/// A found device becomes a devices row (ownership unknown, state found) with a found_devices record; the custodian
/// signs for it with their password (in custody, held until the hold ends); the owner may claim it with their typed
/// name witnessed by a member of staff's password (it leaves the register as withdrawn); once the hold ends it is
/// listed for disposal and the remind roles are emailed once; disposal records how the data was wiped and by whom.
/// Every change to the device is a device_history row in the same SaveChanges; every action is audited.
/// </summary>
public sealed class LostPropertyService(
    BrightlineDbContext db,
    AuditLog audit,
    PolicyStore policies,
    EmailSender email,
    StaffSignatures signatures,
    PortalLinks links,
    DeviceRegister register,
    TimeProvider time)
{
    public const string AuditFound = "lost-property-found";
    public const string AuditCustody = "lost-property-custody";
    public const string AuditReturned = "lost-property-returned";
    public const string AuditDisposed = "lost-property-disposed";
    public const string DueSubject = "Found devices are due for disposal";

    public async Task<Device> LogFoundAsync(LostPropertyActor actor, NewFoundDevice request, CancellationToken cancellationToken)
    {
        var description = FormText.Required(request.Description, 200, "Describe the device (make, colour, case) so its owner can recognise it.");
        var where = FormText.Required(request.FoundWhere, 300, "Say where the device was found.");
        var by = FormText.Required(request.FoundBy, 256, "Say who found it.");
        var kind = DeviceKinds.Words.TryParse(request.Kind, out var k) ? k : DeviceKind.Other;
        var now = StoredTime.Now(time);
        var foundAt = request.FoundAt is { } at ? StoredTime.Truncate(at) : now;
        if (foundAt > now)
        {
            throw new InvalidException("The time it was found cannot be in the future.");
        }

        var device = new Device
        {
            Id = Guid.NewGuid(),
            SchoolId = actor.SchoolId,
            Serial = FormText.Optional(request.Serial, 100, "The serial number is too long (100 characters at most)."),
            Kind = kind,
            Model = description,
            Name = $"Found: {description}",
            Ownership = DeviceOwnership.Unknown,
            State = DeviceState.Found,
            Location = where,
            Macs = "",
            CreatedAt = now,
            CreatedBy = actor.UserName,
            UpdatedAt = now,
        };
        db.Set<Device>().Add(device);
        db.Set<FoundDevice>().Add(new FoundDevice
        {
            Id = device.Id, SchoolId = actor.SchoolId, FoundAt = foundAt, FoundWhere = where, FoundBy = by, LoggedBy = actor.UserName, LoggedAt = now,
        });
        register.StageHistory(device, "found", $"Found {UkFormat.ShortDateTime(foundAt)} at {where} by {by}; logged as lost property.", actor.UserName, now);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditFound, device.Id.ToString(), description, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return device;
    }

    /// <summary>The custodian (the policy's custodian role, H15: the Head of IT) signs for the device with their password.</summary>
    public async Task HandToCustodianAsync(LostPropertyActor actor, Guid id, string? custodianEmail, string? custodianPassword, CancellationToken cancellationToken)
    {
        var (device, found) = await LoadAsync(actor.SchoolId, id, cancellationToken);
        if (device.State != DeviceState.Found || found.Outcome is not null)
        {
            throw new InvalidException("This device has already been handed to the custodian.");
        }

        var policy = await policies.ActiveAsync(actor.SchoolId, cancellationToken);
        var rule = policy.Devices.LostProperty;
        var signer = await signatures.SignAsync(actor.SchoolId, actor.UserName, custodianEmail, custodianPassword, "the person receiving the device", cancellationToken);
        if (!await HoldsRoleAsync(actor.SchoolId, signer.UserId, rule.Custodian, cancellationToken))
        {
            throw new InvalidException($"Found devices go to the school's {RoleWords(rule.Custodian)} ({rule.Requirement ?? "policy"}); {signer.Name} does not hold that role. Nothing was recorded.");
        }

        var now = StoredTime.Now(time);
        var (until, how) = HoldPeriod.Compute(rule, policy.School.Calendar, SchoolClock.DateOf(now));
        found.CustodianName = signer.Name;
        found.CustodianUserId = signer.UserId;
        found.CustodianAt = now;
        found.HoldUntil = until;
        found.HoldRule = how;
        register.StageStateChange(device, DeviceState.InCustody, actor.UserName, $"Handed to {signer.Name} ({RoleWords(rule.Custodian)}), signed with their password; held {how}, to {UkFormat.Short(until)}.", at: now);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditCustody, id.ToString(), $"received by {signer.Name}; held to {UkFormat.Short(until)}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>The owner claims it: they type their full name and the member of staff handing it back witnesses with their password.</summary>
    public async Task ReturnToOwnerAsync(LostPropertyActor actor, Guid id, string? ownerName, string? witnessPassword, CancellationToken cancellationToken)
    {
        var (device, found) = await LoadAsync(actor.SchoolId, id, cancellationToken);
        if (found.Outcome is not null)
        {
            throw new InvalidException("This device has already left lost property.");
        }

        var owner = FormText.Required(ownerName, 256, "The owner types their full name to sign for the device.");
        var witness = await signatures.SignAsync(actor.SchoolId, actor.UserName, actor.UserName, witnessPassword, "you, as witness,", cancellationToken);
        var now = StoredTime.Now(time);
        found.Outcome = FoundDeviceOutcome.Returned;
        found.ClosedAt = now;
        found.ClosedBy = actor.UserName;
        found.ReturnedTo = owner;
        found.WitnessedBy = witness.Name;
        // Its own history name (the lost-property page and its tests read it), moved by the register like every state change.
        register.StageStateChange(device, DeviceState.Withdrawn, actor.UserName,
            $"Returned to owner: {owner} (typed name), witnessed by {witness.Name} with their password.", "returned_to_owner", at: now);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditReturned, id.ToString(), $"returned to {owner}; witness {witness.Name}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Disposal once the hold has ended, with the data wipe recorded (how, by whom). Terminal.</summary>
    public async Task DisposeAsync(LostPropertyActor actor, Guid id, string? wipeMethod, string? wipedBy, string? disposalNote, bool confirmed, CancellationToken cancellationToken)
    {
        var (device, found) = await LoadAsync(actor.SchoolId, id, cancellationToken);
        if (found.Outcome is not null || device.State != DeviceState.InCustody || found.HoldUntil is not { } until)
        {
            throw new InvalidException("Only a device held by the custodian can be disposed of.");
        }

        var now = StoredTime.Now(time);
        if (until >= SchoolClock.DateOf(now))
        {
            throw new InvalidException($"The device is held until {UkFormat.Short(until)}; it can be disposed of after that.");
        }

        var method = FormText.Required(wipeMethod, 500, "Say how the device's data was wiped (for example, factory reset and storage erased).");
        var wiper = FormText.Required(wipedBy, 256, "Say who wiped the data.");
        var note = FormText.Optional(disposalNote, 1000, "The disposal note is too long (1,000 characters at most).");
        if (!confirmed)
        {
            throw new InvalidException("Tick the box to confirm the device is to be disposed of; this cannot be undone.");
        }

        found.Outcome = FoundDeviceOutcome.Disposed;
        found.ClosedAt = now;
        found.ClosedBy = actor.UserName;
        found.WipeMethod = method;
        found.WipedBy = wiper;
        found.DisposalNote = note;
        register.StageStateChange(device, DeviceState.Disposed, actor.UserName, $"Unclaimed after the hold.{(note is null ? "" : " " + note)}",
            dataWipe: $"{method} (by {wiper})", at: now);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditDisposed, id.ToString(), $"wiped by {wiper}: {method}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Lists devices whose hold has ended and emails the school's remind roles once about the ones not yet listed
    /// (H15). Returns how many devices were newly listed.
    /// </summary>
    public async Task<int> RemindDueAsync(string schoolId, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var today = SchoolClock.DateOf(now);
        var due = await db.Set<FoundDevice>().Where(f => f.SchoolId == schoolId && f.Outcome == null && f.DueNotifiedAt == null && f.HoldUntil != null && f.HoldUntil < today)
            .OrderBy(f => f.HoldUntil).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var ids = due.Select(f => f.Id).ToList();
        var devices = await db.Set<Device>().Where(d => d.SchoolId == schoolId && ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var schoolName = policy.School.Name;
        var lines = new List<string>();
        foreach (var f in due)
        {
            var device = devices[f.Id];
            f.DueNotifiedAt = now;
            register.StageHistory(device, "listed_for_disposal", $"The hold ended on {UkFormat.Short(f.HoldUntil!.Value)}; listed for disposal and the {string.Join(", ", policy.Devices.LostProperty.Remind.Select(RoleWords))} reminded.", "brightline", now);
            lines.Add($"- {device.Model} (found {UkFormat.Short(SchoolClock.DateOf(f.FoundAt))} at {f.FoundWhere}; held until {UkFormat.Short(f.HoldUntil!.Value)}): {links.BaseUrl()}/devices/found/{f.Id}");
        }

        var body = $"{schoolName}: {UkFormat.Plural(due.Count, "found device has", "found devices have")} been held for the policy's lost-property period"
            + $" ({policy.Devices.LostProperty.Requirement ?? "lost property"}) without being claimed and can now be disposed of, with the data wipe recorded:\n\n"
            + string.Join("\n", lines) + $"\n\nThe list: {links.BaseUrl()}/devices/found?tab=due\n";
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await RoleMail.QueueAsync(db, policies, email, schoolId, policy.Devices.LostProperty.Remind, $"{schoolName}: {DueSubject}", body, "lost-property-due", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>The worker's pass: every school with a policy loaded.</summary>
    public async Task RemindAllDueAsync(CancellationToken cancellationToken)
    {
        foreach (var school in await db.Schools.AsNoTracking().Select(s => s.Id).ToListAsync(cancellationToken))
        {
            if (await db.PolicyVersions.AnyAsync(v => v.SchoolId == school && v.IsActive, cancellationToken))
            {
                await RemindDueAsync(school, cancellationToken);
            }
        }
    }

    public async Task<FoundDeviceView?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken)
    {
        var found = await db.Set<FoundDevice>().AsNoTracking().FirstOrDefaultAsync(f => f.SchoolId == schoolId && f.Id == id, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var device = await db.Set<Device>().AsNoTracking().FirstAsync(d => d.SchoolId == schoolId && d.Id == id, cancellationToken);
        var history = await db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.SchoolId == schoolId && h.DeviceId == id).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        return new FoundDeviceView(device, found, history, SchoolClock.Today(time));
    }

    /// <summary>One tab of the list, newest first, filtered by words in the description, serial, place or finder.</summary>
    public async Task<Paged<FoundDeviceRow>> ListAsync(string schoolId, string? tab, string? search, int page, CancellationToken cancellationToken)
    {
        var today = SchoolClock.Today(time);
        var query = db.Set<FoundDevice>().AsNoTracking().Where(f => f.SchoolId == schoolId)
            .Join(db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == schoolId), f => f.Id, d => d.Id, (f, d) => new { Found = f, Device = d });
        query = LostPropertyTabs.Normalise(tab) switch
        {
            LostPropertyTabs.Held => query.Where(r => r.Found.Outcome == null && r.Device.State == DeviceState.InCustody && r.Found.HoldUntil >= today),
            LostPropertyTabs.Due => query.Where(r => r.Found.Outcome == null && r.Device.State == DeviceState.InCustody && r.Found.HoldUntil < today),
            LostPropertyTabs.Closed => query.Where(r => r.Found.Outcome != null),
            _ => query.Where(r => r.Found.Outcome == null && r.Device.State == DeviceState.Found),
        };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var q = search.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            query = query.Where(r => r.Device.Model.ToLower().Contains(q) || r.Found.FoundWhere.ToLower().Contains(q) || r.Found.FoundBy.ToLower().Contains(q)
                || (r.Device.Serial != null && r.Device.Serial.ToLower().Contains(q)));
#pragma warning restore CA1862, CA1311
        }

        page = PortalHtml.ClampPage(page);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.Found.FoundAt).ThenBy(r => r.Found.Id)
            .Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        return new Paged<FoundDeviceRow>(rows.Select(r => new FoundDeviceRow(r.Device, r.Found)).ToList(), page, total);
    }

    /// <summary>"computing_lead" → "computing lead", for messages and history.</summary>
    public static string RoleWords(string role) => role.Replace('_', ' ');

    private async Task<bool> HoldsRoleAsync(string schoolId, string userId, string role, CancellationToken cancellationToken)
    {
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && m.UserId == userId).ToListAsync(cancellationToken);
        if (memberships.Any(m => string.Equals(m.Role, role, StringComparison.Ordinal)))
        {
            return true;
        }

        var people = memberships.Where(m => m.PersonId != null).Select(m => m.PersonId!.Value).ToList();
        return await db.PersonRoles.AnyAsync(r => r.SchoolId == schoolId && people.Contains(r.PersonId) && r.Role == role, cancellationToken);
    }

    private async Task<(Device Device, FoundDevice Found)> LoadAsync(string schoolId, Guid id, CancellationToken cancellationToken)
    {
        var found = await db.Set<FoundDevice>().FirstOrDefaultAsync(f => f.SchoolId == schoolId && f.Id == id, cancellationToken)
            ?? throw new NotFoundException("There is no such device in lost property.");
        var device = await db.Set<Device>().FirstAsync(d => d.SchoolId == schoolId && d.Id == id, cancellationToken);
        return (device, found);
    }
}
