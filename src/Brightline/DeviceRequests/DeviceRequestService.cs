using System.Globalization;
using Brightline.AccessChanges;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Network;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.DeviceRequests;

/// <summary>
/// Personal-device and removable-media requests (issue 14, point 2). Who may ask for whom (themselves; a linked parent
/// for their child; a member of staff for a pupil in their scope), what the policy's rule for the person's group allows
/// (H3 nobody in EYFS; C20 no rewritable CDs), what must be attested (O19, F5, F7, C17, C20, W3), and who decides (a role
/// the rule names, never the asker). An approval registers the device (a personal <c>devices</c> row with its history
/// and attestations) and tells the network; its expiry withdraws it. Every change is audited in the same transaction.
/// </summary>
public sealed class DeviceRequestService(
    BrightlineDbContext db,
    PolicyStore policies,
    AuditLog audit,
    IAccessChanges changes,
    DeviceRequestNotifier notify,
    DeviceRegister register,
    SessionDisconnects disconnects,
    TimeProvider time)
{
    public const string AuditAsked = "device-request-asked";
    public const string AuditNotAllowed = "device-request-not-allowed";
    public const string AuditApproved = "device-request-approved";
    public const string AuditRefused = "device-request-refused";
    public const string AuditWithdrawn = "device-request-withdrawn";
    public const string AuditExpired = "device-request-expired";
    public const string AuditApprovalWithdrawn = "device-request-approval-withdrawn";
    public const string AuditReminded = "device-request-renewal-reminded";

    /// <summary>The request field that carries the tick for the rule's agreement (O19), as the API spells it.</summary>
    public const string AgreedField = "agreed";

    /// <summary>Access-change reasons: the network reconsiders the owner's sessions.</summary>
    public const string ChangeApproved = "device-approved";
    public const string ChangeWithdrawn = "device-withdrawn";

    /// <summary>The people <paramref name="actor"/> may ask for: themselves, their linked children, and pupils in their scope (staff).</summary>
    public async Task<IReadOnlyList<(Person Person, string As)>> AskableAsync(DeviceRequestActor actor, CancellationToken cancellationToken)
    {
        var result = new List<(Person, string)>();
        if (actor.PersonId is { } self && await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == actor.SchoolId && p.Id == self && p.LeftOn == null, cancellationToken) is { } me)
        {
            result.Add((me, DeviceRequesterKeys.Self));
        }

        if (actor.PersonId is { } parent && actor.Holds(PortalRoles.Parent))
        {
            var children = await (from l in db.ParentLinks
                                   join p in db.People on l.ChildId equals p.Id
                                   where l.SchoolId == actor.SchoolId && l.ParentId == parent && p.LeftOn == null
                                   orderby p.GivenName, p.FamilyName
                                   select p).AsNoTracking().ToListAsync(cancellationToken);
            result.AddRange(children.Select(c => (c, DeviceRequesterKeys.Parent)));
        }

        // A teacher's class is listed; staff who see the whole school type a name or admission number instead (too many to list).
        if (!SeesWholeSchool(actor) && actor.Holds(PortalRoles.Teacher) && await TeacherClassAsync(actor, cancellationToken) is { } className)
        {
            var pupilBit = PersonGroups.Mask(PersonKind.Pupil);
            var pupils = await db.People.AsNoTracking()
                .Where(p => p.SchoolId == actor.SchoolId && p.ClassName == className && (p.KindMask & pupilBit) != 0 && p.LeftOn == null)
                .OrderBy(p => p.GivenName).ThenBy(p => p.FamilyName).ToListAsync(cancellationToken);
            result.AddRange(pupils.Where(p => result.All(r => ((Person)r.Item1).Id != p.Id)).Select(p => (p, DeviceRequesterKeys.Teacher)));
        }

        return result;
    }

    public static bool SeesWholeSchool(DeviceRequestActor actor) => PortalRoles.WholeSchool.Any(actor.Holds);

    /// <summary>How <paramref name="actor"/> stands to <paramref name="person"/> (self, parent, teacher), or null when they may not ask for them at all.</summary>
    public async Task<string?> RelationshipAsync(DeviceRequestActor actor, Person person, CancellationToken cancellationToken)
    {
        if (actor.PersonId == person.Id)
        {
            return DeviceRequesterKeys.Self;
        }

        if (actor.PersonId is { } parent && actor.Holds(PortalRoles.Parent)
            && await db.ParentLinks.AnyAsync(l => l.SchoolId == actor.SchoolId && l.ParentId == parent && l.ChildId == person.Id, cancellationToken))
        {
            return DeviceRequesterKeys.Parent;
        }

        if (PersonGroups.Has(person, PersonKind.Pupil) && PortalRoles.StaffRoles.Any(actor.Holds))
        {
            if (SeesWholeSchool(actor))
            {
                return DeviceRequesterKeys.Teacher;
            }

            if (actor.Holds(PortalRoles.Teacher) && await TeacherClassAsync(actor, cancellationToken) is { } className
                && string.Equals(person.ClassName, className, StringComparison.Ordinal))
            {
                return DeviceRequesterKeys.Teacher;
            }
        }

        return null;
    }

    /// <summary>The policy's answer for a request of <paramref name="kind"/> for the person by <paramref name="actor"/>. Throws 404 for a person outside the asker's reach.</summary>
    public async Task<DeviceRequestCheck> CheckAsync(DeviceRequestActor actor, Guid personId, string? kind, CancellationToken cancellationToken)
    {
        if (kind is null || !DeviceRequestKindKeys.All.Contains(kind, StringComparer.Ordinal))
        {
            throw new InvalidException("Say whether this is a personal device (personal_device) or removable media such as a USB pen (removable_media).");
        }

        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == actor.SchoolId && p.Id == personId, cancellationToken);
        var relationship = person is null ? null : await RelationshipAsync(actor, person, cancellationToken);
        if (person is null || relationship is null)
        {
            // Somebody the asker has no link to reads as nobody at all, as everywhere in the portal.
            throw new NotFoundException("There is no such person you can ask for.");
        }

        var policy = await policies.ActivePolicyAsync(actor.SchoolId, cancellationToken);
        var groups = PersonGroups.For(policy, person);
        var rule = policy.Devices.Requests.FirstOrDefault(r => string.Equals(r.Kind, kind, StringComparison.Ordinal)
            && groups.Any(g => r.Groups.Contains(g.Id, StringComparer.Ordinal)));
        var what = kind == DeviceRequestKindKeys.RemovableMedia ? "removable media" : "a personal device";
        if (rule is null)
        {
            return new DeviceRequestCheck(person, kind, relationship, null,
                $"The school's policy does not provide for requests to bring {what} into school for {person.GivenName}'s group. Speak to the school office.");
        }

        if (!rule.Allowed)
        {
            return new DeviceRequestCheck(person, kind, relationship, rule,
                rule.RefusalReason is { Length: > 0 } reason ? reason : $"The school's policy does not allow {what} for {person.GivenName}'s group.");
        }

        if (!rule.Requesters.Contains(relationship, StringComparer.Ordinal))
        {
            return new DeviceRequestCheck(person, kind, relationship, rule,
                $"The policy lets only {string.Join(" or ", rule.Requesters.Select(DeviceRequestText.Requester))} ask for {person.GivenName}'s {what}.");
        }

        return new DeviceRequestCheck(person, kind, relationship, rule, null);
    }

    /// <summary>Files a request after checking it against the rule: refused in the policy's words when not allowed, forbidden media refused, required attestations present.</summary>
    public async Task<DeviceRequest> AskAsync(DeviceRequestActor actor, NewDeviceRequest request, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(actor, request.PersonId, request.Kind?.Trim(), cancellationToken);
        if (!check.Allowed)
        {
            await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditNotAllowed, check.Person.Id.ToString(),
                $"{check.Kind}: {check.Refusal}{(check.Rule?.Requirement is { } r ? $" ({r})" : "")}", null, cancellationToken);
            throw new ForbiddenException(check.Refusal!);
        }

        var rule = check.Rule!;
        var description = Required(request.Description, 300, "Describe the device (make, colour, case, or the USB pen's size) so it can be recognised.");
        var reason = Required(request.Reason, 2000, "Say why the device is needed in school.");
        var makeModel = Optional(request.MakeModel, 200, "The make and model are too long (200 characters at most).");
        var serial = Optional(request.Serial, 100, "The serial number is too long (100 characters at most).");
        var allowedKinds = DeviceRequestText.DeviceKindsFor(check.Kind);
        var deviceKind = DeviceKinds.Words.TryParse(request.DeviceKind?.Trim() ?? "", out var dk) && allowedKinds.Contains(dk) ? dk
            : allowedKinds.Count == 1 ? allowedKinds[0]
            : throw new InvalidException("Choose what kind of device it is (phone, tablet, laptop …).");
        var macs = ParseMacs(request.Macs);
        if (Forbidden(rule, description, makeModel) is { } forbidden)
        {
            await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditNotAllowed, check.Person.Id.ToString(), $"{check.Kind}: forbidden medium \"{forbidden}\"", null, cancellationToken);
            throw new ForbiddenException($"The school's policy never allows {forbidden}{(rule.Requirement is { } req ? $" ({req})" : "")}. Ask for an encrypted USB pen instead.");
        }

        var given = (request.Attestations ?? []).Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (given.FirstOrDefault(a => !DeviceAttestationKeys.All.Contains(a, StringComparer.Ordinal)) is { } unknown)
        {
            throw new InvalidException($"'{unknown}' is not something that can be attested (one of {string.Join(", ", DeviceAttestationKeys.All)}).");
        }

        var missing = rule.Attestations.Where(a => !given.Contains(a, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidException($"The school's policy{(rule.Requirement is { } req ? $" ({req})" : "")} needs you to confirm: {string.Join("; ", missing.Select(m => DeviceRequestText.Attestation(m).ToLowerInvariant()))}.");
        }

        // O19: the rule's agreement must be ticked; the field names it so the API's ProblemDetails and the page point at it.
        if (rule.Agreement is { } agreement && !request.Agreed)
        {
            throw new InvalidException(
                $"The school's policy{(rule.Requirement is { } req ? $" ({req})" : "")} asks the person asking to agree: \u201c{agreement}\u201d Tick \u201cI agree\u201d (through the API, send \"agreed\": true).")
            {
                Field = AgreedField,
            };
        }

        DeviceRequest? renews = null;
        if (request.Renews is { } renewId)
        {
            renews = await db.Set<DeviceRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.SchoolId == actor.SchoolId && r.Id == renewId, cancellationToken)
                ?? throw new NotFoundException("There is no such request to renew.");
            if (renews.PersonId != check.Person.Id || renews.State is not (DeviceRequestState.Approved or DeviceRequestState.Expired))
            {
                throw new InvalidException("Only an approved (or expired) request for the same person can be renewed.");
            }

            if (await db.Set<DeviceRequest>().AnyAsync(r => r.RenewsRequestId == renewId && r.State == DeviceRequestState.Pending, cancellationToken))
            {
                throw new ConflictException("A renewal of this request is already waiting for a decision.");
            }
        }

        var now = StoredTime.Now(time);
        var row = new DeviceRequest
        {
            Id = Guid.NewGuid(),
            SchoolId = actor.SchoolId,
            PersonId = check.Person.Id,
            RequestedByUserId = actor.UserId,
            RequestedByName = actor.DisplayName,
            RequestedByEmail = actor.Email,
            RequestedAs = check.RequestedAs!,
            Kind = check.Kind,
            DeviceKind = deviceKind,
            Description = description,
            MakeModel = makeModel,
            Serial = serial,
            Macs = string.Join(' ', macs),
            Reason = reason,
            Attestations = string.Join(' ', given),
            AttestedBy = given.Count > 0 ? actor.DisplayName : null,
            Requirement = rule.Requirement,
            State = DeviceRequestState.Pending,
            CreatedAt = now,
            RenewsRequestId = renews?.Id,
            AgreementAcceptedAt = rule.Agreement is null ? null : now,
            AgreementAcceptedBy = rule.Agreement is null ? null : actor.DisplayName,
            AgreementText = rule.Agreement,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<DeviceRequest>().Add(row);
        await notify.ApproversAsync(actor.SchoolId, rule.Approvers, row, check.Person, actor.UserId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditAsked, row.Id.ToString(),
            $"{row.Kind} for {check.Person.FullName} as {row.RequestedAs}{(renews is null ? "" : $", renewing {renews.Id}")}{(row.AgreementAcceptedAt is null ? "" : ", agreement agreed")}{(rule.Requirement is { } q ? $" ({q})" : "")}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>The roles that may decide <paramref name="request"/> under the school's current rule for it.</summary>
    public async Task<IReadOnlyList<string>> ApproversForAsync(DeviceRequest request, CancellationToken cancellationToken)
    {
        var policy = await policies.ActivePolicyAsync(request.SchoolId, cancellationToken);
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == request.PersonId, cancellationToken);
        var groups = PersonGroups.For(policy, person);
        var rule = policy.Devices.Requests.FirstOrDefault(r => string.Equals(r.Kind, request.Kind, StringComparison.Ordinal)
            && groups.Any(g => r.Groups.Contains(g.Id, StringComparer.Ordinal)));
        return rule?.Approvers ?? [];
    }

    /// <summary>True when <paramref name="actor"/> may decide: they hold an approver role, and did not ask and are not the owner.</summary>
    public async Task<bool> MayDecideAsync(DeviceRequestActor actor, DeviceRequest request, CancellationToken cancellationToken) =>
        request.State == DeviceRequestState.Pending
        && !string.Equals(request.RequestedByUserId, actor.UserId, StringComparison.Ordinal)
        && actor.PersonId != request.PersonId
        && (await ApproversForAsync(request, cancellationToken)).Any(actor.Holds);

    /// <summary>Approves (registering the device) or refuses (a note is required) a pending request.</summary>
    public async Task<DeviceRequest> DecideAsync(DeviceRequestActor actor, Guid id, bool approve, string? note, CancellationToken cancellationToken)
    {
        var request = await db.Set<DeviceRequest>().FirstOrDefaultAsync(r => r.SchoolId == actor.SchoolId && r.Id == id, cancellationToken)
            ?? throw new NotFoundException("There is no such device request.");
        if (request.State != DeviceRequestState.Pending)
        {
            throw new ConflictException($"This request has already been decided ({DeviceRequestText.State(request.State).ToLowerInvariant()}).");
        }

        if (string.Equals(request.RequestedByUserId, actor.UserId, StringComparison.Ordinal) || actor.PersonId == request.PersonId)
        {
            throw new ForbiddenException("You cannot decide a request you made, or one for your own device.");
        }

        var approvers = await ApproversForAsync(request, cancellationToken);
        if (!approvers.Any(actor.Holds))
        {
            throw new ForbiddenException(approvers.Count == 0
                ? "The school's policy no longer names anyone who may approve this request."
                : $"Only the {DeviceRequestText.Roles(approvers)} may decide this request.");
        }

        note = Optional(note, 2000, "The note is too long (2,000 characters at most).");
        if (!approve && note is null)
        {
            throw new InvalidException("Say why the request is refused; the person who asked will read it.");
        }

        var now = StoredTime.Now(time);
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == request.PersonId, cancellationToken);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        request.DecidedBy = actor.DisplayName;
        request.DecidedAt = now;
        request.DecisionNote = note;
        if (approve)
        {
            var policy = await policies.ActivePolicyAsync(actor.SchoolId, cancellationToken);
            var rule = policy.Devices.Requests.FirstOrDefault(r => string.Equals(r.Kind, request.Kind, StringComparison.Ordinal)
                && PersonGroups.For(policy, person).Any(g => r.Groups.Contains(g.Id, StringComparer.Ordinal)));
            var duration = rule is { Duration.Ticks: > 0 } ? rule.Duration : TimeSpan.FromDays(365);
            request.State = DeviceRequestState.Approved;
            request.ExpiresAt = now + duration;
            await RegisterDeviceAsync(actor, request, person, now, cancellationToken);
            changes.Publish(db, actor.SchoolId, request.PersonId, ChangeApproved);
        }
        else
        {
            request.State = DeviceRequestState.Refused;
        }

        notify.Requester(request, person);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, approve ? AuditApproved : AuditRefused, request.Id.ToString(),
            approve ? $"for {person.FullName} until {UkFormat.Short(DateOnly.FromDateTime(request.ExpiresAt!.Value.UtcDateTime))}; device {request.DeviceId}" : $"for {person.FullName}: {note}",
            null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return request;
    }

    /// <summary>The asker (or the owner) withdraws a pending request.</summary>
    public async Task WithdrawAsync(DeviceRequestActor actor, Guid id, CancellationToken cancellationToken)
    {
        var request = await db.Set<DeviceRequest>().FirstOrDefaultAsync(r => r.SchoolId == actor.SchoolId && r.Id == id, cancellationToken)
            ?? throw new NotFoundException("There is no such device request.");
        if (!string.Equals(request.RequestedByUserId, actor.UserId, StringComparison.Ordinal) && request.PersonId != actor.PersonId)
        {
            throw new ForbiddenException("Only the person who asked can withdraw the request.");
        }

        if (request.State != DeviceRequestState.Pending)
        {
            throw new ConflictException("Only a request waiting for a decision can be withdrawn.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        request.State = DeviceRequestState.Withdrawn;
        request.DecidedAt = StoredTime.Now(time);
        request.DecidedBy = actor.DisplayName;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditWithdrawn, request.Id.ToString(), null, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes the register row for an approved request: a personal device in use, owned by the person, with its MACs and
    /// no device group (the network admits it as an approved personal device, not as school kit), a history row and
    /// the attestations given. A renewal of an approval still in force carries the same device on.
    /// </summary>
    private async Task RegisterDeviceAsync(DeviceRequestActor actor, DeviceRequest request, Person person, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var actorText = actor.DisplayName == actor.UserName ? actor.UserName : $"{actor.DisplayName} ({actor.UserName})";
        var until = UkFormat.Short(DateOnly.FromDateTime(request.ExpiresAt!.Value.UtcDateTime));
        Device? device = null;
        if (request.RenewsRequestId is { } oldId
            && await db.Set<DeviceRequest>().FirstOrDefaultAsync(r => r.Id == oldId, cancellationToken) is { State: DeviceRequestState.Approved, DeviceId: { } oldDevice } old
            && await db.Set<Device>().FirstOrDefaultAsync(d => d.Id == oldDevice && d.State == DeviceState.InUse, cancellationToken) is { } kept)
        {
            // The old approval gives way to the new one; its device carries on, so nothing drops off the network.
            old.State = DeviceRequestState.Expired;
            device = kept;
            device.UpdatedAt = now;
            register.StageHistory(device, "renewed", $"Approval renewed from request {request.Id} until {until}{Req(request)}", actorText, now);
        }

        if (device is null)
        {
            device = new Device
            {
                Id = Guid.NewGuid(),
                SchoolId = request.SchoolId,
                Serial = request.Serial,
                Kind = request.DeviceKind,
                Model = request.MakeModel ?? request.Description,
                Name = Cut($"{person.FullName}'s {request.Description}", 200),
                Ownership = DeviceOwnership.Personal,
                State = DeviceState.InUse,
                PersonId = request.PersonId,
                DeviceGroup = null,
                Macs = request.Macs,
                Notes = Cut($"{DeviceRequestText.Kind(request.Kind)} approved by {request.DecidedBy} until {until}.", 2000),
                CreatedAt = now,
                CreatedBy = actor.UserName,
                UpdatedAt = now,
            };
            db.Set<Device>().Add(device);
            await IndexMacsAsync(request, device, cancellationToken);
            register.StageHistory(device, "registered",
                $"Registered from approved request {request.Id} ({DeviceRequestText.Kind(request.Kind).ToLowerInvariant()}), asked by {request.RequestedByName}, until {until}{Req(request)}", actorText, now);
        }

        foreach (var key in request.Attestations.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            db.Set<DeviceAttestation>().Add(new DeviceAttestation
            {
                SchoolId = request.SchoolId,
                DeviceId = device.Id,
                Kind = key,
                Confirmed = true,
                At = request.CreatedAt,
                AttestedBy = request.AttestedBy ?? request.RequestedByName,
                Note = $"Given with request {request.Id}",
            });
            register.StageHistory(device, $"attested.{key}",
                $"{DeviceRequestText.Attestation(key)} — attested by {request.AttestedBy ?? request.RequestedByName} with the request", actorText, now);
        }

        request.DeviceId = device.Id;
    }

    /// <summary>
    /// MAC authentication finds a device through the register's MAC index (device_macs), so an approved device's MACs go
    /// there with it. A MAC still indexed to the same person's withdrawn device (an approval that lapsed and is asked
    /// for again) moves to the new one; a MAC on any other device is refused by name rather than left to the unique index.
    /// </summary>
    private async Task IndexMacsAsync(DeviceRequest request, Device device, CancellationToken cancellationToken)
    {
        foreach (var mac in ParseMacs(request.Macs))
        {
            var taken = await (from m in db.Set<DeviceMac>()
                               join d in db.Set<Device>() on m.DeviceId equals d.Id
                               where m.SchoolId == request.SchoolId && m.Mac == mac
                               select new { Index = m, Device = d }).FirstOrDefaultAsync(cancellationToken);
            if (taken is null)
            {
                db.Set<DeviceMac>().Add(new DeviceMac { SchoolId = request.SchoolId, Mac = mac, DeviceId = device.Id });
            }
            else if (taken.Device is { Ownership: DeviceOwnership.Personal, State: DeviceState.Withdrawn } old && old.PersonId == request.PersonId)
            {
                taken.Index.DeviceId = device.Id;
            }
            else
            {
                throw new ConflictException($"The MAC address {mac} is already registered to '{taken.Device.Name}'. Correct the request's MAC address, or the register, before approving.");
            }
        }
    }

    /// <summary>
    /// Ends approvals whose time ran out: the request is expired, its device withdrawn (with a history row) and the
    /// network told, so the device is no longer admitted. Returns the devices withdrawn, for the caller to disconnect.
    /// </summary>
    public async Task<IReadOnlyList<Device>> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var due = await db.Set<DeviceRequest>().Where(r => r.State == DeviceRequestState.Approved && r.ExpiresAt != null && r.ExpiresAt <= now)
            .OrderBy(r => r.ExpiresAt).Take(200).ToListAsync(cancellationToken);
        var withdrawn = new List<Device>();
        foreach (var request in due)
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            request.State = DeviceRequestState.Expired;
            var device = await StageEndAsync(request, $"Approval (request {request.Id}) expired on {UkFormat.Short(DateOnly.FromDateTime(now.UtcDateTime))}; no longer allowed on the network{Req(request)}",
                "brightline", now, cancellationToken);
            if (device is not null)
            {
                withdrawn.Add(device);
            }

            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(request.SchoolId, "brightline", AuditExpired, request.Id.ToString(), request.DeviceId?.ToString(), null, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        return withdrawn;
    }

    /// <summary>True when <paramref name="actor"/> may withdraw an approval early: it is in force, and they hold an approver role for it.</summary>
    public async Task<bool> MayWithdrawApprovalAsync(DeviceRequestActor actor, DeviceRequest request, CancellationToken cancellationToken) =>
        request.State == DeviceRequestState.Approved && (await ApproversForAsync(request, cancellationToken)).Any(actor.Holds);

    /// <summary>
    /// An approver ends an approval before it runs out (H3, W3, F5: a device no longer allowed, a pupil's misuse), with a
    /// reason. It does what expiry does — the device is withdrawn with a history row, the network told and the device's
    /// live sessions disconnected — and the request is marked withdrawn; the approval's own decision note is kept, with
    /// the withdrawal added to it, so nothing stored is lost.
    /// </summary>
    public async Task<DeviceRequest> WithdrawApprovalAsync(DeviceRequestActor actor, Guid id, string? reason, CancellationToken cancellationToken)
    {
        var request = await db.Set<DeviceRequest>().FirstOrDefaultAsync(r => r.SchoolId == actor.SchoolId && r.Id == id, cancellationToken)
            ?? throw new NotFoundException("There is no such device request.");
        if (request.State != DeviceRequestState.Approved)
        {
            throw new ConflictException($"Only an approval in force can be withdrawn; this request is {DeviceRequestText.State(request.State).ToLowerInvariant()}.", "Not approved");
        }

        var approvers = await ApproversForAsync(request, cancellationToken);
        if (!approvers.Any(actor.Holds))
        {
            throw new ForbiddenException(approvers.Count == 0
                ? "The school's policy no longer names anyone who may decide this request."
                : $"Only the {DeviceRequestText.Roles(approvers)} may withdraw this approval.");
        }

        var why = Required(reason, 1000, "Say why the approval is withdrawn; the person who asked will be able to read it.");
        var now = StoredTime.Now(time);
        var actorText = actor.DisplayName == actor.UserName ? actor.UserName : $"{actor.DisplayName} ({actor.UserName})";
        Device? device;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            request.State = DeviceRequestState.Withdrawn;
            var line = $"Approval withdrawn on {UkFormat.Short(DateOnly.FromDateTime(now.UtcDateTime))} by {actor.DisplayName}: {why}";
            request.DecisionNote = Cut(request.DecisionNote is null ? line : $"{request.DecisionNote}\n{line}", 2000);
            device = await StageEndAsync(request, $"Approval (request {request.Id}) withdrawn early by {actor.DisplayName}: {why}; no longer allowed on the network{Req(request)}",
                actorText, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditApprovalWithdrawn, request.Id.ToString(), Cut($"{request.DeviceId}: {why}", 1000), null, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (device is not null)
        {
            await DisconnectAsync(device, $"the approval for personal device \"{device.Name}\" was withdrawn", actor.UserName, "disconnected: device approval withdrawn", cancellationToken);
        }

        return request;
    }

    /// <summary>
    /// Ends a request's approval, staged for the caller's SaveChanges: its device (if still in use) is withdrawn by the
    /// register with <paramref name="why"/>, and an access change published for the owner. Expiry and an approver's
    /// early withdrawal share it. Returns the device withdrawn, for <see cref="DisconnectAsync"/> after the commit.
    /// </summary>
    private async Task<Device?> StageEndAsync(DeviceRequest request, string why, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Device? withdrawn = null;
        if (request.DeviceId is { } deviceId && await db.Set<Device>().FirstOrDefaultAsync(d => d.Id == deviceId, cancellationToken) is { } device
            && device.State == DeviceState.InUse)
        {
            register.StageStateChange(device, DeviceState.Withdrawn, actor, why, at: now);
            withdrawn = device;
        }

        changes.Publish(db, request.SchoolId, request.PersonId, ChangeWithdrawn);
        return withdrawn;
    }

    /// <summary>
    /// Ends a withdrawn device's live network sessions by its MAC with a RADIUS Disconnect-Request — the access change
    /// alone reconsiders only sessions Brightline tied to the owner, and a personal device admitted by its MAC may have none.
    /// </summary>
    public async Task DisconnectAsync(Device device, string why, string actor, string result, CancellationToken cancellationToken)
    {
        var macs = device.Macs.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (macs.Length == 0)
        {
            return;
        }

        var live = await db.Set<NetworkSession>().AsNoTracking()
            .Where(s => s.SchoolId == device.SchoolId && s.EndedAt == null && s.Mac != null && macs.Contains(s.Mac))
            .Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var session in live)
        {
            await disconnects.DisconnectAsync(device.SchoolId, session, why, actor, result, cancellationToken);
        }
    }

    /// <summary>Reminds the owner (and whoever asked) once, within the rule's renew window before an approval ends.</summary>
    public async Task<int> RemindDueAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var horizon = now.AddDays(120);
        var candidates = await db.Set<DeviceRequest>()
            .Where(r => r.State == DeviceRequestState.Approved && r.RenewalRemindedAt == null && r.ExpiresAt != null && r.ExpiresAt > now && r.ExpiresAt <= horizon)
            .OrderBy(r => r.ExpiresAt).Take(200).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var request in candidates)
        {
            var policy = await policies.ActivePolicyAsync(request.SchoolId, cancellationToken);
            var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == request.PersonId, cancellationToken);
            var rule = policy.Devices.Requests.FirstOrDefault(r => string.Equals(r.Kind, request.Kind, StringComparison.Ordinal)
                && PersonGroups.For(policy, person).Any(g => r.Groups.Contains(g.Id, StringComparer.Ordinal)));
            var window = rule is { RenewWithin.Ticks: > 0 } ? rule.RenewWithin : TimeSpan.FromDays(14);
            if (request.ExpiresAt!.Value - window > now)
            {
                continue;
            }

            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            request.RenewalRemindedAt = now;
            await notify.RenewalAsync(request, person, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(request.SchoolId, "brightline", AuditReminded, request.Id.ToString(), null, null, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            sent++;
        }

        return sent;
    }

    /// <summary>True when the request's approval is inside its renew window (or over), so a renewal may be asked for.</summary>
    public async Task<bool> RenewableAsync(DeviceRequest request, CancellationToken cancellationToken)
    {
        if (request.State is not (DeviceRequestState.Approved or DeviceRequestState.Expired) || request.ExpiresAt is null)
        {
            return false;
        }

        if (await db.Set<DeviceRequest>().AnyAsync(r => r.RenewsRequestId == request.Id && (r.State == DeviceRequestState.Pending || r.State == DeviceRequestState.Approved), cancellationToken))
        {
            return false;
        }

        var policy = await policies.ActivePolicyAsync(request.SchoolId, cancellationToken);
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == request.PersonId, cancellationToken);
        var rule = policy.Devices.Requests.FirstOrDefault(r => string.Equals(r.Kind, request.Kind, StringComparison.Ordinal)
            && PersonGroups.For(policy, person).Any(g => r.Groups.Contains(g.Id, StringComparer.Ordinal)));
        var window = rule is { RenewWithin.Ticks: > 0 } ? rule.RenewWithin : TimeSpan.FromDays(14);
        return request.ExpiresAt.Value - window <= StoredTime.Now(time);
    }

    public Task<DeviceRequest?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken) =>
        db.Set<DeviceRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.SchoolId == schoolId && r.Id == id, cancellationToken);

    /// <summary>True when <paramref name="actor"/> may read the request: they asked, it is theirs or their child's, or they may decide requests.</summary>
    public async Task<bool> MayReadAsync(DeviceRequestActor actor, DeviceRequest request, CancellationToken cancellationToken) =>
        string.Equals(request.RequestedByUserId, actor.UserId, StringComparison.Ordinal)
        || request.PersonId == actor.PersonId
        || (actor.PersonId is { } parent && actor.Holds(PortalRoles.Parent)
            && await db.ParentLinks.AnyAsync(l => l.SchoolId == actor.SchoolId && l.ParentId == parent && l.ChildId == request.PersonId, cancellationToken))
        || await IsDeciderAsync(actor, cancellationToken);

    /// <summary>True when the actor holds a role that some rule of the school's policy names as approver, or keeps the register: they see the whole queue.</summary>
    public async Task<bool> IsDeciderAsync(DeviceRequestActor actor, CancellationToken cancellationToken)
    {
        if (PortalRoles.DeviceKeepers.Any(actor.Holds))
        {
            return true;
        }

        var policy = await policies.ActivePolicyAsync(actor.SchoolId, cancellationToken);
        return policy.Devices.Requests.SelectMany(r => r.Approvers).Any(actor.Holds);
    }

    /// <summary>
    /// A page of requests, newest first. <paramref name="all"/>: the school's (deciders only), else the actor's own —
    /// asked by them, for them, or for their children. Filtered by state and by words in the name or the device.
    /// </summary>
    public async Task<Paged<DeviceRequestRow>> ListAsync(DeviceRequestActor actor, bool all, string? state, string? search, int page, CancellationToken cancellationToken)
    {
        var query = from r in db.Set<DeviceRequest>().AsNoTracking()
                    join p in db.People on r.PersonId equals p.Id
                    where r.SchoolId == actor.SchoolId
                    select new { R = r, P = p };
        if (!all || !await IsDeciderAsync(actor, cancellationToken))
        {
            var self = actor.PersonId ?? Guid.Empty;
            var userId = actor.UserId;
            var children = db.ParentLinks.Where(l => l.SchoolId == actor.SchoolId && l.ParentId == self).Select(l => l.ChildId);
            query = query.Where(x => x.R.RequestedByUserId == userId || x.R.PersonId == self || children.Contains(x.R.PersonId));
        }

        if (state is not null && DeviceRequestStates.Words.TryParse(state, out var s))
        {
            query = query.Where(x => x.R.State == s);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var q = search.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            query = query.Where(x => (x.P.GivenName + " " + x.P.FamilyName).ToLower().Contains(q) || x.R.Description.ToLower().Contains(q)
                || x.R.RequestedByName.ToLower().Contains(q));
#pragma warning restore CA1862, CA1311
        }

        page = PortalHtml.ClampPage(page);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(x => x.R.CreatedAt).ThenBy(x => x.R.Id)
            .Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        return new Paged<DeviceRequestRow>(rows.Select(x => new DeviceRequestRow(x.R, x.P.FullName)).ToList(), page, total);
    }

    /// <summary>
    /// Every request of the school (optionally in one state), newest first, in batches: the operator's CSV export and list
    /// (<c>brightline devices requests</c>), which run with the installation's own access rather than a portal user's.
    /// </summary>
    public async IAsyncEnumerable<DeviceRequestRow> ExportAsync(string schoolId, DeviceRequestState? state, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 1000;
        var query = from r in db.Set<DeviceRequest>().AsNoTracking()
                    join p in db.People.AsNoTracking() on r.PersonId equals p.Id
                    where r.SchoolId == schoolId && (state == null || r.State == state)
                    orderby r.CreatedAt descending, r.Id
                    select new { R = r, p.GivenName, p.FamilyName };
        for (var skip = 0; skip < 200_000; skip += batch)
        {
            var items = await query.Skip(skip).Take(batch).ToListAsync(cancellationToken);
            foreach (var x in items)
            {
                yield return new DeviceRequestRow(x.R, $"{x.GivenName} {x.FamilyName}");
            }

            if (items.Count < batch)
            {
                yield break;
            }
        }
    }

    private async Task<string?> TeacherClassAsync(DeviceRequestActor actor, CancellationToken cancellationToken) =>
        actor.PersonId is { } self
            ? await db.People.AsNoTracking().Where(p => p.Id == self).Select(p => p.ClassName).FirstOrDefaultAsync(cancellationToken)
            : null;

    /// <summary>
    /// The first of the rule's forbidden media the request names (C20: "rewritable CDs" matches "CD-RW, rewritable CD").
    /// Every word of the forbidden phrase must appear in the description or make, plurals folded, so "CD" alone is not refused.
    /// </summary>
    public static string? Forbidden(DeviceRequestRule rule, string description, string? makeModel)
    {
        var words = Words($"{description} {makeModel}").ToHashSet(StringComparer.Ordinal);
        return rule.Forbidden.FirstOrDefault(f => Words(f).ToList() is { Count: > 0 } need && need.All(words.Contains));
    }

    private static IEnumerable<string> Words(string text) =>
        new string(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 1)
            .Select(w => w.Length > 2 && w.EndsWith('s') ? w[..^1] : w);

    /// <summary>MAC addresses in any usual spelling, separated by spaces, commas or lines; one the portal cannot read is refused by name.</summary>
    public static IReadOnlyList<string> ParseMacs(string? text)
    {
        var macs = new List<string>();
        foreach (var part in (text ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!MacAddress.TryNormalise(part, out var mac))
            {
                throw new InvalidException($"'{Cut(part, 40)}' is not a MAC address (write it like aa:bb:cc:dd:ee:ff; the device's Wi-Fi settings show it).");
            }

            if (!macs.Contains(mac, StringComparer.Ordinal))
            {
                macs.Add(mac);
            }
        }

        return macs.Count > 8 ? throw new InvalidException("Give at most eight MAC addresses.") : macs;
    }

    private static string Req(DeviceRequest request) => request.Requirement is { } r ? $" ({r})" : "";

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    private static string Required(string? text, int max, string message)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidException(message);
        }

        return text.Length > max ? throw new InvalidException($"That is too long ({max.ToString("N0", CultureInfo.GetCultureInfo("en-GB"))} characters at most).") : text;
    }

    private static string? Optional(string? text, int max, string tooLong)
    {
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > max ? throw new InvalidException(tooLong) : text;
    }
}
