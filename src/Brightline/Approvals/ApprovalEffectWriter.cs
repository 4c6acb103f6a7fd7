using System.Security.Cryptography;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Approvals;

/// <summary>
/// What an approval writes into other features while it is in force, and takes back when it ends: guest Wi-Fi
/// vouchers (O22), a class's time-limited filter allow entries (never for an illegal-content site), the email
/// content permission (H17), and C11's records in the safeguarding log and the violations register. Approvals
/// whose effect is read where it is used (exemptions, official capacity, unrestricted, devices) write nothing.
/// </summary>
/// <remarks>
/// Applying or taking back an approval that names a person publishes an access change in the same transaction,
/// so every enforcement point drops its cached answer for them (C11 unrestricted, O14 official capacity, exemptions).
/// </remarks>
public sealed class ApprovalEffectWriter(
    BrightlineDbContext db, FilterService filters, IncidentService incidents, Brightline.AccessChanges.IAccessChanges accessChanges, Brightline.Audit.AuditLog audit)
{
    public async Task ApplyAsync(SchoolPolicy policy, ApprovalType type, ApprovalRequest approval, ApprovalActor actor, CancellationToken cancellationToken)
    {
        switch (type.Kind)
        {
            case ApprovalKinds.GuestWifi:
                for (var i = 0; i < approval.VoucherCount; i++)
                {
                    db.Set<WifiVoucher>().Add(new WifiVoucher
                    {
                        SchoolId = approval.SchoolId,
                        ApprovalId = approval.Id,
                        Code = VoucherCode(),
                        Group = type.Group!,
                        ValidFrom = approval.StartsAt!.Value,
                        ExpiresAt = approval.EndsAt!.Value,
                    });
                }

                break;
            case ApprovalKinds.ClassUnblock:
                approval.FilterOverrideIds = await AddClassOverridesAsync(policy, approval, actor, cancellationToken);
                break;
            case ApprovalKinds.EmailInspection:
                // H17: the monitoring queue already shows email content only under a granted, unexpired permission
                // (ContentPermissions.ActiveAsync); the approval creates that permission for the requester.
                var permission = new MonitoringContentPermission
                {
                    SchoolId = approval.SchoolId,
                    PersonId = approval.SubjectPersonId!.Value,
                    RequestedBy = approval.RequestedBy,
                    Reason = approval.Reason.Length == 0 ? "(no reason given)" : approval.Reason,
                    RequestedAt = approval.CreatedAt,
                    Days = Math.Max(1, (int)Math.Ceiling(approval.DurationMinutes / 1440.0)),
                    Status = ContentPermissionState.Granted,
                    DecidedBy = approval.DecidedBy,
                    DecidedAt = approval.DecidedAt,
                    DecisionNote = $"Approval {approval.Id}",
                    ExpiresAt = approval.EndsAt,
                };
                db.Set<MonitoringContentPermission>().Add(permission);
                await db.SaveChangesAsync(cancellationToken);
                approval.ContentPermissionId = permission.Id;
                break;
            case ApprovalKinds.AccessChange:
                // O5: a role asked for is granted to the person's account; other access (network for a volunteer …)
                // is the approved record the ICT Coordinator or IT provider acts on.
                if (approval.Role is { } role)
                {
                    await GrantRoleAsync(approval, actor, role, cancellationToken);
                }

                break;
            case ApprovalKinds.Exemption or ApprovalKinds.OfficialCapacity or ApprovalKinds.Unrestricted or ApprovalKinds.PersonalDevice:
                // Read where they are used (the DNS filter, ApprovalEffects.ActiveAsync): nothing to write.
                break;
            default:
                throw new InvalidException($"Unknown kind of approval '{type.Kind}'.");
        }

        // Last, so an effect refused above leaves nothing tracked; the caller's SaveChanges stores it in its transaction.
        Publish(approval, Brightline.AccessChanges.AccessChangeReasons.ApprovalStarted);
    }

    /// <summary>
    /// O5: adds <paramref name="role"/> to the portal account that is the approval's person, with the same person link,
    /// audited as a role change naming the approval (as the users page audits one), in the caller's transaction.
    /// Removing it later is done on the account's page; the approval ending does not take it back.
    /// </summary>
    private async Task GrantRoleAsync(ApprovalRequest approval, ApprovalActor actor, string role, CancellationToken cancellationToken)
    {
        var person = approval.SubjectPersonId ?? throw new InvalidException("The request names nobody to give the role to.");
        var memberships = await db.SchoolMemberships.Where(m => m.SchoolId == approval.SchoolId && m.PersonId == person).ToListAsync(cancellationToken);
        if (memberships.Count == 0)
        {
            throw new InvalidException("The person has no Brightline account at this school any more, so there is no account to give the role to. Create the account first.");
        }

        if (memberships.Any(m => string.Equals(m.Role, role, StringComparison.Ordinal)))
        {
            return;
        }

        var userId = memberships[0].UserId;
        db.SchoolMemberships.Add(new SchoolMembership { UserId = userId, SchoolId = approval.SchoolId, Role = role, PersonId = person });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(approval.SchoolId, actor.UserName, Brightline.Audit.AuditActions.RoleChange, userId,
            $"granted {role} (approval {approval.Id}, O5)", actor.ClientAddress, cancellationToken);
        accessChanges.Publish(db, approval.SchoolId, person, Brightline.AccessChanges.AccessChangeReasons.RoleGranted);
    }

    private void Publish(ApprovalRequest approval, string reason)
    {
        if (approval.SubjectPersonId is { } person)
        {
            accessChanges.Publish(db, approval.SchoolId, person, reason);
        }
    }

    /// <summary>One time-limited allow entry per profile of the class's pupils, scoped to the class (FilterOverride.ClassName).</summary>
    private async Task<IReadOnlyList<long>> AddClassOverridesAsync(SchoolPolicy policy, ApprovalRequest approval, ApprovalActor actor, CancellationToken cancellationToken)
    {
        var school = await filters.GetAsync(approval.SchoolId, cancellationToken);
        if (school.IsIllegal(approval.Host!))
        {
            throw new InvalidException($"{approval.Host} is on an illegal-content list (child abuse or terrorism). Nobody at the school can unblock it.");
        }

        var pupilBit = PersonGroups.Mask(PersonKind.Pupil);
        var pupils = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == approval.SchoolId && p.ClassName == approval.ClassName && (p.KindMask & pupilBit) != 0 && p.LeftOn == null)
            .ToListAsync(cancellationToken);
        var profiles = pupils.SelectMany(p => school.ProfilesFor(PersonGroups.For(policy, p).Select(g => g.Id)))
            .Where(name => policy.FindGroup(name) is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (profiles.Count == 0)
        {
            throw new InvalidException($"There are no pupils in class {approval.ClassName} with a filtering profile, so there is nothing to unblock.");
        }

        var added = new List<FilterOverride>();
        foreach (var profile in profiles)
        {
            var entry = new FilterOverride
            {
                SchoolId = approval.SchoolId,
                Profile = profile,
                ClassName = approval.ClassName,
                Entry = approval.Host!,
                Action = FilterOverrideAction.Allow,
                Reason = ApprovalService.Clip($"Approval {approval.Id} (class {approval.ClassName}): {approval.Reason}", 1000),
                CreatedAt = approval.StartsAt!.Value,
                CreatedBy = actor.UserName,
                Expires = approval.EndsAt,
            };
            db.Set<FilterOverride>().Add(entry);
            added.Add(entry);
        }

        await db.SaveChangesAsync(cancellationToken);
        return added.Select(o => o.Id).ToList();
    }

    public async Task RemoveAsync(ApprovalRequest approval, DateTimeOffset now, string actor, CancellationToken cancellationToken)
    {
        switch (approval.Kind)
        {
            case ApprovalKinds.GuestWifi:
                var vouchers = await db.Set<WifiVoucher>().Where(v => v.ApprovalId == approval.Id && v.RevokedAt == null).ToListAsync(cancellationToken);
                foreach (var v in vouchers.Where(v => v.ExpiresAt > now))
                {
                    v.RevokedAt = now;
                }

                break;
            case ApprovalKinds.ClassUnblock when approval.FilterOverrideIds.Count > 0:
                var idList = approval.FilterOverrideIds.ToList();
                var overrides = await db.Set<FilterOverride>().Where(o => o.SchoolId == approval.SchoolId && idList.Contains(o.Id) && o.WithdrawnAt == null).ToListAsync(cancellationToken);
                foreach (var o in overrides)
                {
                    o.WithdrawnAt = now;
                    o.WithdrawnBy = actor;
                }

                break;
            case ApprovalKinds.EmailInspection when approval.ContentPermissionId is { } pid:
                var permission = await db.Set<MonitoringContentPermission>().FirstOrDefaultAsync(p => p.Id == pid, cancellationToken);
                if (permission is not null && (permission.ExpiresAt is null || permission.ExpiresAt > now))
                {
                    permission.ExpiresAt = now;
                }

                break;
            default:
                // Unrestricted, official capacity, exemptions and devices are read with their end time: nothing stored to undo.
                break;
        }

        Publish(approval, Brightline.AccessChanges.AccessChangeReasons.ApprovalEnded);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>After a change has committed: the filter recompiles (class unblocks). Cached answers for the person were dropped by the access change published with it.</summary>
    public async Task AfterChangeAsync(ApprovalRequest approval, CancellationToken cancellationToken)
    {
        if (approval.Kind == ApprovalKinds.ClassUnblock)
        {
            await filters.RefreshNowAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<Guid>> RecordUnrestrictedAsync(SchoolPolicy policy, ApprovalRequest approval, DateTimeOffset now, DateTimeOffset ends, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == approval.SubjectPersonId, cancellationToken);
        var rules = policy.Rules.Where(r => r.Requirements.Contains("C11", StringComparer.Ordinal)).Select(r => r.Id).ToList();
        var text = $"{person.FullName} ({approval.RequestedBy}) switched their own web filtering to unrestricted at {UkFormat.ShortDateTime(now)} "
            + $"until {UkFormat.ShortDateTime(ends)} to investigate. Reason given: {approval.Reason} "
            + $"Illegal content stays blocked. Recorded automatically under C11 (approval {approval.Id}).";
        var log = await incidents.CreateAsync(new NewIncident(approval.SchoolId, "safeguarding", "Unrestricted filtering override (e-safety log, C11)",
            [person.Id], rules, text, approval.RequestedBy), cancellationToken);
        var register = await incidents.CreateAsync(new NewIncident(approval.SchoolId, "staff_violation", "Unrestricted filtering override (ICT violations register, C11)",
            [person.Id], rules, text, approval.RequestedBy), cancellationToken);
        return [log.Id, register.Id];
    }

    private const string VoucherAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>Ten characters from an alphabet without look-alikes (0/O, 1/I/L), shown as XXXXX-XXXXX; about 49 bits.</summary>
    public static string VoucherCode()
    {
        Span<char> chars = stackalloc char[11];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = i == 5 ? '-' : VoucherAlphabet[RandomNumberGenerator.GetInt32(VoucherAlphabet.Length)];
        }

        return new string(chars);
    }
}
