using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Approvals;

/// <summary>
/// The approvals workflow: checks who may ask and who may decide (never the requester), the type's
/// maximum duration, its written agreement and reason; applies the effect at approval (or at once for
/// self-authorised kinds) and removes it on revocation; <see cref="ExpireDueAsync"/> records the end of
/// approvals whose time has run out. Every effect also checks the end time where it is used, so an
/// expired approval never works, even before the sweep has run.
/// </summary>
public sealed partial class ApprovalService(
    BrightlineDbContext db,
    PolicyStore policies,
    AuditLog audit,
    FilterService filters,
    ApprovalEffectWriter effects,
    ApprovalNotifier notify,
    TimeProvider time,
    ILogger<ApprovalService> logger)
{
    public const int PageSize = 25;

    public async Task<ApprovalSettings> SettingsAsync(string schoolId, CancellationToken cancellationToken) =>
        ApprovalSettings.From(await policies.ActiveAsync(schoolId, cancellationToken));

    /// <summary>True when the actor holds one of <paramref name="roles"/> (the bursar by the policy's email address).</summary>
    public static bool Holds(ApprovalActor actor, IReadOnlyList<string> roles, SchoolPolicy policy) =>
        roles.Any(r => actor.Roles.Contains(r, StringComparer.Ordinal)
            || (string.Equals(r, ApprovalSettings.Bursar, StringComparison.Ordinal) && policy.Roles.Bursar?.Email is { Length: > 0 } bursar
                && string.Equals(bursar, actor.UserName, StringComparison.OrdinalIgnoreCase)));

    public async Task<ApprovalRequest> RequestAsync(string schoolId, NewApproval request, ApprovalActor actor, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var settings = ApprovalSettings.From(policy);
        var type = settings.Find(request.TypeId) ?? throw new InvalidException($"'{request.TypeId}' is not an approval type of this school's policy.");
        if (!Holds(actor, type.Requesters, policy))
        {
            throw new ForbiddenException($"Only {Roles(type.Requesters)} may ask for \"{type.Title}\".");
        }

        var now = StoredTime.Now(time);
        var reason = request.Reason?.Trim() ?? "";
        if (type.ReasonRequired && reason.Length == 0)
        {
            throw new InvalidException(type.Kind == ApprovalKinds.GuestWifi
                ? "Enter the reason for the Wi-Fi access: the official capacity, or the purpose of the visit (O22)."
                : "Enter the reason for the request.");
        }

        if (reason.Length > 2000)
        {
            throw new InvalidException("The reason must be 2,000 characters or fewer.");
        }

        var duration = request.DurationMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : type.DefaultDuration;
        if (duration <= TimeSpan.Zero)
        {
            throw new InvalidException("The length of time must be at least one minute.");
        }

        if (duration > type.MaxDuration)
        {
            throw new InvalidException($"\"{type.Title}\" can last at most {ApprovalSettings.Describe(type.MaxDuration)} under the school's policy.");
        }

        var approval = new ApprovalRequest
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            TypeId = type.Id,
            Kind = type.Kind,
            Status = ApprovalState.Pending,
            RequestedBy = actor.UserName,
            RequestedByPersonId = actor.PersonId,
            Reason = reason,
            DurationMinutes = (int)Math.Ceiling(duration.TotalMinutes),
            CreatedAt = now,
        };

        if (type.Agreement is { } agreement)
        {
            var signed = request.AgreementSignedName?.Trim();
            if (!request.AgreementAccepted || string.IsNullOrEmpty(signed))
            {
                throw new InvalidException("Read the written agreement, tick to accept it and type your full name to sign it.");
            }

            approval.AgreementSha256 = Sha256(agreement);
            approval.AgreementSignedName = signed.Length > 200 ? signed[..200] : signed;
            approval.AgreementSignedAt = now;
        }

        await ValidateKindAsync(policy, type, approval, request, actor, cancellationToken);

        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Set<ApprovalRequest>().Add(approval);
            await db.SaveChangesAsync(cancellationToken);
            if (!type.SelfAuthorised)
            {
                // Queued in this transaction (the outbox), so the request and the approvers' email commit together.
                await notify.ApproversAsync(policy, type, approval, cancellationToken);
            }

            await RecordAsync(approval, actor, ApprovalStep.Requested, reason, ApprovalAuditActions.Requested, Summary(type, approval), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (type.SelfAuthorised)
        {
            try
            {
                await ActivateAsync(policy, type, approval, actor, null, ApprovalAuditActions.Applied, ApprovalStep.Applied, notifyRequester: false, cancellationToken);
            }
            catch (DomainException e)
            {
                // Nobody will decide a self-authorised request: close it with the reason rather than leave it waiting.
                db.ChangeTracker.Clear();
                var stored = await FindAsync(schoolId, approval.Id, cancellationToken);
                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                stored.Status = ApprovalState.Declined;
                stored.DecidedAt = now;
                stored.DecidedBy = ApprovalActor.System.UserName;
                stored.DecisionNote = Clip($"Could not take effect: {e.Message}", 2000);
                await db.SaveChangesAsync(cancellationToken);
                await RecordAsync(stored, ApprovalActor.System, ApprovalStep.Declined, stored.DecisionNote, ApprovalAuditActions.Declined, stored.DecisionNote, cancellationToken);
                await tx.CommitAsync(cancellationToken);
                throw;
            }
        }

        LogRequested(logger, schoolId, approval.Id, type.Kind);
        return approval;
    }

    public async Task<ApprovalRequest> ApproveAsync(string schoolId, Guid id, string? note, ApprovalActor actor, CancellationToken cancellationToken)
    {
        var approval = await FindAsync(schoolId, id, cancellationToken);
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var type = TypeOf(policy, approval);
        await EnsureDeciderAsync(policy, type, approval, actor);
        if (approval.Status != ApprovalState.Pending)
        {
            throw new ConflictException($"This request is already {approval.Status.Describe().ToLowerInvariant()}.");
        }

        approval.DecidedAt = StoredTime.Now(time);
        approval.DecidedBy = actor.UserName;
        approval.DecisionNote = Clip(note?.Trim(), 2000) is { Length: > 0 } n ? n : null;
        await ActivateAsync(policy, type, approval, actor, approval.DecisionNote, ApprovalAuditActions.Approved, ApprovalStep.Approved, notifyRequester: true, cancellationToken);
        return approval;
    }

    public async Task<ApprovalRequest> DeclineAsync(string schoolId, Guid id, string? reason, ApprovalActor actor, CancellationToken cancellationToken)
    {
        var approval = await FindAsync(schoolId, id, cancellationToken);
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var type = TypeOf(policy, approval);
        await EnsureDeciderAsync(policy, type, approval, actor);
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new InvalidException("Give the reason for declining; the person who asked will read it.");
        }

        if (approval.Status != ApprovalState.Pending)
        {
            throw new ConflictException($"This request is already {approval.Status.Describe().ToLowerInvariant()}.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await ClaimAsync(approval, ApprovalState.Pending, ApprovalState.Declined, cancellationToken);
        approval.Status = ApprovalState.Declined;
        approval.DecidedAt = StoredTime.Now(time);
        approval.DecidedBy = actor.UserName;
        approval.DecisionNote = Clip(reason, 2000);
        await db.SaveChangesAsync(cancellationToken);
        notify.Requester(approval);
        await RecordAsync(approval, actor, ApprovalStep.Declined, approval.DecisionNote, ApprovalAuditActions.Declined, approval.DecisionNote, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return approval;
    }

    /// <summary>
    /// Ends an approval early (an approver, a whole-school safeguarding role, or the requester ending their own),
    /// or withdraws a request still waiting (the requester). The effect stops at once.
    /// </summary>
    public async Task<ApprovalRequest> RevokeAsync(string schoolId, Guid id, string? reason, ApprovalActor actor, CancellationToken cancellationToken)
    {
        var approval = await FindAsync(schoolId, id, cancellationToken);
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var type = TypeOf(policy, approval);
        var own = string.Equals(approval.RequestedBy, actor.UserName, StringComparison.OrdinalIgnoreCase);
        if (!own && !Holds(actor, type.Approvers, policy) && !actor.Roles.Any(r => s_overseers.Contains(r, StringComparer.Ordinal)))
        {
            throw new ForbiddenException("Only the person who asked, an approver of this type, the head or a safeguarding lead may end it.");
        }

        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new InvalidException("Give the reason for ending it; it is kept with the record.");
        }

        var now = StoredTime.Now(time);
        var pending = approval.Status == ApprovalState.Pending;
        if (pending && !own)
        {
            throw new ConflictException("A request waiting for a decision is declined, not ended.");
        }

        if (!pending && !IsInForce(approval, now))
        {
            throw new ConflictException($"This approval is not in force ({approval.Status.Describe().ToLowerInvariant()}).");
        }

        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await ClaimAsync(approval, approval.Status, pending ? ApprovalState.Withdrawn : ApprovalState.Revoked, cancellationToken);
            approval.Status = pending ? ApprovalState.Withdrawn : ApprovalState.Revoked;
            approval.EndedAt = now;
            approval.EndedBy = actor.UserName;
            approval.EndReason = Clip(reason, 2000);
            await db.SaveChangesAsync(cancellationToken);
            if (!pending)
            {
                await effects.RemoveAsync(approval, now, actor.UserName, cancellationToken);
            }

            await RecordAsync(approval, actor, pending ? ApprovalStep.Withdrawn : ApprovalStep.Revoked, approval.EndReason,
                pending ? ApprovalAuditActions.Withdrawn : ApprovalAuditActions.Revoked, approval.EndReason, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        await effects.AfterChangeAsync(approval, cancellationToken);
        return approval;
    }

    /// <summary>Records the end of every approval whose time has run out (the background sweep; also safe to call any time).</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        // Compared in memory: SQLite cannot compare DateTimeOffset columns.
        var active = await db.Set<ApprovalRequest>().Where(a => a.Status == ApprovalState.Active).ToListAsync(cancellationToken);
        var due = active.Where(a => a.EndsAt is { } end && end <= now).ToList();
        var expired = 0;
        foreach (var approval in due)
        {
            await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                if (!await TryClaimAsync(approval, ApprovalState.Active, ApprovalState.Expired, cancellationToken))
                {
                    // Another node's sweep, or someone ending it, got there first.
                    continue;
                }

                approval.Status = ApprovalState.Expired;
                approval.EndedAt = approval.EndsAt;
                approval.EndedBy = ApprovalActor.System.UserName;
                await db.SaveChangesAsync(cancellationToken);
                await effects.RemoveAsync(approval, now, ApprovalActor.System.UserName, cancellationToken);
                await RecordAsync(approval, ApprovalActor.System, ApprovalStep.Expired, null, ApprovalAuditActions.Expired,
                    $"ended {UkFormat.ShortDateTime(approval.EndsAt!.Value)}", cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }

            expired++;
            await effects.AfterChangeAsync(approval, cancellationToken);
        }

        return expired;
    }

    public async Task<ApprovalRequest> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken) =>
        await db.Set<ApprovalRequest>().FirstOrDefaultAsync(a => a.SchoolId == schoolId && a.Id == id, cancellationToken)
        ?? throw new NotFoundException("There is no such approval.");

    public async Task<List<ApprovalDecision>> HistoryAsync(string schoolId, Guid id, CancellationToken cancellationToken) =>
        await db.Set<ApprovalDecision>().AsNoTracking().Where(d => d.SchoolId == schoolId && d.ApprovalId == id).OrderBy(d => d.Id).ToListAsync(cancellationToken);

    public async Task<List<WifiVoucher>> VouchersAsync(string schoolId, Guid id, CancellationToken cancellationToken) =>
        await db.Set<WifiVoucher>().AsNoTracking().Where(v => v.SchoolId == schoolId && v.ApprovalId == id).OrderBy(v => v.Id).ToListAsync(cancellationToken);

    /// <summary>True when the actor may see the approval: they asked, it is about them, they may decide its type, or they oversee every approval.</summary>
    public static bool CanSee(ApprovalRequest approval, ApprovalType? type, ApprovalActor actor, SchoolPolicy policy) =>
        string.Equals(approval.RequestedBy, actor.UserName, StringComparison.OrdinalIgnoreCase)
        || (actor.PersonId is { } me && approval.SubjectPersonId == me)
        || (type is not null && Holds(actor, type.Approvers, policy))
        || actor.Roles.Any(r => s_overseers.Contains(r, StringComparer.Ordinal));

    public static bool CanDecide(ApprovalRequest approval, ApprovalType? type, ApprovalActor actor, SchoolPolicy policy) =>
        type is not null && approval.Status == ApprovalState.Pending && Holds(actor, type.Approvers, policy)
        && !string.Equals(approval.RequestedBy, actor.UserName, StringComparison.OrdinalIgnoreCase)
        && !(actor.PersonId is { } me && (approval.SubjectPersonId == me || approval.RequestedByPersonId == me));

    /// <summary>
    /// O5: the portal roles an access-change request may give. Administrator, head and the safeguarding leads open every
    /// record in the school (children's safeguarding files included), so an ICT Coordinator or IT provider approving a
    /// request must not be able to hand them out; an administrator gives those on the Users page.
    /// </summary>
    public static readonly IReadOnlyList<string> AccessChangeRoles =
        PortalRoles.All.Where(r => r is not (PortalRoles.Admin or PortalRoles.Head or PortalRoles.Dsl or PortalRoles.DeputyDsl)).ToList();

    /// <summary>Roles that see (and may end) every approval: the head, the safeguarding leads and the administrator.</summary>
    private static readonly string[] s_overseers = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin];

    /// <summary>In force now: active, started and not yet ended. Every effect checks this at the point of use.</summary>
    public static bool IsInForce(ApprovalRequest a, DateTimeOffset now) =>
        a.Status == ApprovalState.Active && a.StartsAt is { } s && s <= now && a.EndsAt is { } e && e > now;

    /// <summary>
    /// Moves the stored status from <paramref name="from"/> to <paramref name="to"/> only if nobody else has (two heads
    /// approving at once, the sweep on another node): the loser gets a 409 and nothing of theirs is kept.
    /// </summary>
    private async Task ClaimAsync(ApprovalRequest approval, ApprovalState from, ApprovalState to, CancellationToken cancellationToken)
    {
        if (!await TryClaimAsync(approval, from, to, cancellationToken))
        {
            throw new ConflictException("Someone else changed this approval a moment ago. Open it again to see where it stands.");
        }
    }

    private async Task<bool> TryClaimAsync(ApprovalRequest approval, ApprovalState from, ApprovalState to, CancellationToken cancellationToken) =>
        await db.Set<ApprovalRequest>().Where(a => a.Id == approval.Id && a.Status == from)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, to), cancellationToken) == 1;

    private async Task EnsureDeciderAsync(SchoolPolicy policy, ApprovalType type, ApprovalRequest approval, ApprovalActor actor)
    {
        await Task.CompletedTask;
        if (type.SelfAuthorised)
        {
            throw new ConflictException($"\"{type.Title}\" takes effect when it is asked for; there is nothing to decide.");
        }

        if (!Holds(actor, type.Approvers, policy))
        {
            throw new ForbiddenException($"Only {Roles(type.Approvers)} may decide \"{type.Title}\".");
        }

        if (string.Equals(approval.RequestedBy, actor.UserName, StringComparison.OrdinalIgnoreCase)
            || (actor.PersonId is { } me && (approval.RequestedByPersonId == me || approval.SubjectPersonId == me)))
        {
            throw new ForbiddenException("You cannot decide a request you made or one about yourself: another approver must.");
        }
    }

    private async Task ValidateKindAsync(SchoolPolicy policy, ApprovalType type, ApprovalRequest approval, NewApproval request, ApprovalActor actor, CancellationToken cancellationToken)
    {
        var detail = request.Detail?.Trim();
        approval.Detail = string.IsNullOrEmpty(detail) ? null : Clip(detail, 1000);
        switch (type.Kind)
        {
            case ApprovalKinds.Exemption:
                (approval.RuleId, approval.Category) = ExemptionTarget(policy, type, request);
                // O3: by default the exemption is the requester's own; W4: a member of staff asks the ICT Coordinator for a pupil.
                approval.SubjectPersonId = request.SubjectPersonId is { } named
                    ? (await SubjectAsync(approval.SchoolId, named, "", cancellationToken)).Id
                    : actor.PersonId;
                break;
            case ApprovalKinds.OfficialCapacity:
                var subject = await SubjectAsync(approval.SchoolId, request.SubjectPersonId, "Choose the parent or volunteer who needs access.", cancellationToken);
                if (PersonGroups.Has(subject, PersonKind.Pupil) || PersonGroups.Has(subject, PersonKind.Staff))
                {
                    throw new InvalidException($"{subject.FullName} is a pupil or already staff; official-capacity access is for a parent, volunteer or visitor (O14).");
                }

                approval.SubjectPersonId = subject.Id;
                break;
            case ApprovalKinds.GuestWifi:
                if (approval.Detail is null)
                {
                    throw new InvalidException("Enter who the Wi-Fi is for (the visitor's name or organisation).");
                }

                var count = request.VoucherCount ?? 1;
                if (count < 1 || count > type.MaxVouchers)
                {
                    throw new InvalidException($"Ask for between 1 and {type.MaxVouchers} Wi-Fi codes.");
                }

                approval.VoucherCount = count;
                break;
            case ApprovalKinds.ClassUnblock:
                var host = FilterRequestService.NormaliseHost(request.Host)
                    ?? throw new InvalidException("Enter the site to unblock, for example www.example.org.");
                var me = actor.PersonId is { } pid ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == approval.SchoolId && p.Id == pid, cancellationToken) : null;
                if (me?.ClassName is not { Length: > 0 } className)
                {
                    throw new InvalidException("Your staff record has no class, so there is no class to unblock the site for. Ask the office to record the class you teach.");
                }

                var school = await filters.GetAsync(approval.SchoolId, cancellationToken);
                if (school.IsIllegal(host))
                {
                    throw new InvalidException($"{host} is on an illegal-content list (child abuse or terrorism). Nobody at the school can unblock it.");
                }

                approval.Host = host;
                approval.ClassName = className;
                break;
            case ApprovalKinds.Unrestricted:
                if (actor.PersonId is not { } self)
                {
                    throw new InvalidException("Your account is not linked to a staff record, so there is no filtering profile to change.");
                }

                var now = time.GetUtcNow();
                var open = await db.Set<ApprovalRequest>().AsNoTracking()
                    .Where(a => a.SchoolId == approval.SchoolId && a.Kind == ApprovalKinds.Unrestricted && a.SubjectPersonId == self && a.Status == ApprovalState.Active)
                    .ToListAsync(cancellationToken);
                if (open.Any(a => IsInForce(a, now)))
                {
                    throw new ConflictException("Your filtering is already unrestricted. End that override first.");
                }

                approval.SubjectPersonId = self;
                break;
            case ApprovalKinds.EmailInspection:
                var whose = await SubjectAsync(approval.SchoolId, request.SubjectPersonId, "Choose whose email content needs to be inspected.", cancellationToken);
                approval.SubjectPersonId = whose.Id;
                break;
            case ApprovalKinds.PersonalDevice:
                if (approval.Detail is null)
                {
                    throw new InvalidException("Describe the device (make, model) and how it is encrypted (O19).");
                }

                approval.SubjectPersonId = actor.PersonId;
                break;
            case ApprovalKinds.AccessChange:
                await AccessChangeAsync(approval, request, cancellationToken);
                break;
            default:
                throw new InvalidException($"Unknown kind of approval '{type.Kind}'.");
        }
    }

    /// <summary>
    /// What an exemption relaxes (O3, W4): a policy rule, a filtering category, or both (the category, cited as an
    /// exemption from the rule). A type with <c>relaxes:</c> allows only what it lists, and names it itself when it lists
    /// one thing; without it, any policy rule or any category that is not illegal, at the approvers' discretion.
    /// </summary>
    internal static (string? RuleId, string? Category) ExemptionTarget(SchoolPolicy policy, ApprovalType type, NewApproval request)
    {
        var ruleId = request.RuleId?.Trim() is { Length: > 0 } r ? r : null;
        var category = request.Category?.Trim() is { Length: > 0 } c ? c : null;
        if (type.Relaxes is { } scope)
        {
            if (category is null && scope.Categories.Count == 1 && (ruleId is null || !scope.Rules.Contains(ruleId, StringComparer.Ordinal)))
            {
                // The type relaxes one category: a rule chosen with it (W4b-uploading-p2p) is only the citation.
                category = scope.Categories[0];
            }
            else if (ruleId is null && category is null && scope.Categories.Count + scope.Rules.Count == 1)
            {
                if (scope.Categories.Count == 1)
                {
                    category = scope.Categories[0];
                }
                else
                {
                    ruleId = scope.Rules[0];
                }
            }

            if (category is not null && !scope.Categories.Contains(category, StringComparer.Ordinal))
            {
                throw new InvalidException($"\"{type.Title}\" can relax only {Listed(scope)}; '{category}' is not one of them.");
            }

            if (category is null && ruleId is not null && !scope.Rules.Contains(ruleId, StringComparer.Ordinal))
            {
                throw new InvalidException($"\"{type.Title}\" can relax only {Listed(scope)}; rule '{ruleId}' is not one of them.");
            }
        }

        if (ruleId is null && category is null)
        {
            throw new InvalidException("Choose the rule of the policy, or the filtering category, the exemption is from.");
        }

        if (ruleId is not null && policy.FindRule(ruleId) is null)
        {
            throw new InvalidException($"'{ruleId}' is not a rule of the school's policy.");
        }

        if (category is not null && (!FilterCategoryNames.All.Contains(category, StringComparer.Ordinal) || FilterCategoryNames.IsIllegal(category)))
        {
            throw new InvalidException(FilterCategoryNames.IsIllegal(category)
                ? $"'{category}' is illegal content: nobody at the school can allow it."
                : $"'{category}' is not a filtering category.");
        }

        return (ruleId, category);
    }

    /// <summary>
    /// O5: who the access is for, and either the portal role asked for (their account must exist and not hold it yet)
    /// or, for other access such as the network for a new volunteer, what is needed in the detail.
    /// </summary>
    private async Task AccessChangeAsync(ApprovalRequest approval, NewApproval request, CancellationToken cancellationToken)
    {
        var whom = await SubjectAsync(approval.SchoolId, request.SubjectPersonId, "Choose who the access is for.", cancellationToken);
        approval.SubjectPersonId = whom.Id;
        var role = request.Role?.Trim() is { Length: > 0 } r ? r : null;
        if (role is null)
        {
            if (approval.Detail is null)
            {
                throw new InvalidException("Choose the portal role to give, or describe the access needed (for example: network access for a new volunteer).");
            }

            return;
        }

        if (!PortalRoles.IsKnown(role))
        {
            throw new InvalidException($"'{role}' is not a portal role.");
        }

        if (!AccessChangeRoles.Contains(role, StringComparer.Ordinal))
        {
            throw new InvalidException($"The role {PortalRoles.Describe(role)} is not given through a request: an administrator gives it on the Users page, where it is audited as theirs.");
        }

        var held = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == approval.SchoolId && m.PersonId == whom.Id).Select(m => m.Role).ToListAsync(cancellationToken);
        if (held.Count == 0)
        {
            throw new InvalidException($"{whom.FullName} has no Brightline account yet. Ask for the account to be created first, or describe the access needed instead of a role.");
        }

        if (held.Contains(role, StringComparer.Ordinal))
        {
            throw new ConflictException($"{whom.FullName} already has the role {PortalRoles.Describe(role)}.");
        }

        approval.Role = role;
    }

    private static string Listed(ExemptionScope scope) =>
        string.Join(", ", scope.Categories.Select(c => $"the category '{c}'").Concat(scope.Rules.Select(r => $"the rule '{r}'")));

    private async Task<Person> SubjectAsync(string schoolId, Guid? id, string missing, CancellationToken cancellationToken) =>
        id is { } pid ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == pid, cancellationToken)
            ?? throw new NotFoundException("There is no such person at this school.")
        : throw new InvalidException(missing);

    /// <summary>Puts an approval in force and applies its effect, in one transaction with its record and audit entry.</summary>
    private async Task ActivateAsync(
        SchoolPolicy policy, ApprovalType type, ApprovalRequest approval, ApprovalActor actor, string? note, string auditAction, ApprovalStep step, bool notifyRequester,
        CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var ends = now + TimeSpan.FromMinutes(approval.DurationMinutes);
        if (type.Kind == ApprovalKinds.Unrestricted)
        {
            // C11: the safeguarding log and the violations register are written first, so an override can never be
            // in force without its records (IncidentService keeps its own transaction).
            approval.IncidentIds = await effects.RecordUnrestrictedAsync(policy, approval, now, ends, cancellationToken);
        }

        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await ClaimAsync(approval, ApprovalState.Pending, ApprovalState.Active, cancellationToken);
            approval.Status = ApprovalState.Active;
            approval.StartsAt = now;
            approval.EndsAt = ends;
            await db.SaveChangesAsync(cancellationToken);
            await effects.ApplyAsync(policy, type, approval, actor, cancellationToken);
            // The emails (outbox rows) commit with the approval taking effect, or not at all.
            if (type.Notify.Count > 0)
            {
                await notify.RolesAsync(policy, type, approval, cancellationToken);
            }

            if (notifyRequester)
            {
                notify.Requester(approval);
            }

            await db.SaveChangesAsync(cancellationToken);
            await RecordAsync(approval, actor, step, note, auditAction, $"{Summary(type, approval)} until {UkFormat.ShortDateTime(ends)}", cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        await effects.AfterChangeAsync(approval, cancellationToken);
    }

    private async Task RecordAsync(ApprovalRequest approval, ApprovalActor actor, ApprovalStep step, string? note, string auditAction, string? detail, CancellationToken cancellationToken)
    {
        db.Set<ApprovalDecision>().Add(new ApprovalDecision
        {
            SchoolId = approval.SchoolId,
            ApprovalId = approval.Id,
            At = StoredTime.Now(time),
            Actor = actor.UserName,
            Action = step,
            Note = Clip(note, 2000),
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(approval.SchoolId, actor.UserName, auditAction, $"approval/{approval.Id}",
            Clip($"{approval.TypeId}: {detail}", 2000), actor.ClientAddress, cancellationToken);
    }

    private static ApprovalType TypeOf(SchoolPolicy policy, ApprovalRequest approval) =>
        ApprovalSettings.From(policy).Find(approval.TypeId)
        ?? throw new InvalidException($"The policy no longer has the approval type '{approval.TypeId}', so this request cannot be decided. It can still be ended.");

    private static string Summary(ApprovalType type, ApprovalRequest a) => type.Kind switch
    {
        ApprovalKinds.Exemption => a.Category is { } category ? $"exemption from the filtering category {category}{(a.RuleId is { } rule ? $" ({rule})" : "")}" : $"exemption from {a.RuleId}",
        ApprovalKinds.ClassUnblock => $"unblock {a.Host} for class {a.ClassName}",
        ApprovalKinds.GuestWifi => $"{a.VoucherCount} guest Wi-Fi code(s)",
        ApprovalKinds.OfficialCapacity => $"official-capacity access for person:{a.SubjectPersonId}",
        ApprovalKinds.EmailInspection => $"email content of person:{a.SubjectPersonId}",
        ApprovalKinds.Unrestricted => "unrestricted filtering (C11)",
        ApprovalKinds.PersonalDevice => "personal device holding school data",
        ApprovalKinds.AccessChange => a.Role is { } role ? $"role {role} for person:{a.SubjectPersonId}" : $"access for person:{a.SubjectPersonId}: {a.Detail}",
        _ => type.Kind,
    };

    private static string Roles(IReadOnlyList<string> roles) =>
        roles.Count == 0 ? "nobody" : string.Join(" or ", roles.Select(r => string.Equals(r, ApprovalSettings.Bursar, StringComparison.Ordinal) ? "the bursar" : PortalRoles.Describe(r).ToLowerInvariant()));

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/> (the stored column's length).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    internal static string? Clip(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Approval {ApprovalId} ({Kind}) requested at school {SchoolId}")]
    private static partial void LogRequested(ILogger logger, string schoolId, Guid approvalId, string kind);
}
