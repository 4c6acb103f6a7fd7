using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>
/// O15: a reason the policy names (<c>sanctions.reasons</c>) with its consequence per group. For a group whose
/// consequence is a sanction kind (parents and volunteers: suspend_account, "access revoked") the sanction is imposed
/// through <see cref="SanctionService"/>, so the gate, the DNS filter and sign-in refuse it as for any sanction; for a
/// group whose consequence is <c>disciplinary</c> (staff and pupils) a disciplinary incident about the person is recorded
/// through <see cref="IncidentService"/> (a pupil's in the behaviour register, anyone else's as a staff violation), which
/// tells the register's own roles and any the reason names. Either way the reason is audited.
/// </summary>
public sealed class SanctionReasons(BrightlineDbContext db, PolicyStore policies, SanctionService sanctions, IncidentService incidents, AuditLog audit)
{
    /// <summary>Every reason the school's policy names, with what it means for <paramref name="person"/>.</summary>
    public static IReadOnlyList<ReasonConsequence> For(SchoolPolicy policy, Person person)
    {
        var groups = PersonGroups.For(policy, person);
        return policy.Sanctions.Reasons.Select(r =>
        {
            var hit = r.For(groups.Select(g => g.Id));
            return hit is { } h
                ? new ReasonConsequence(r, h.Key, groups.First(g => string.Equals(g.Id, h.Key, StringComparison.Ordinal)).Name, h.Value)
                : new ReasonConsequence(r, null, null, null);
        }).ToList();
    }

    public async Task<ReasonOutcome> ImposeAsync(string schoolId, Guid personId, string? reasonKey, string? details, IncidentActor actor, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var reason = policy.Sanctions.FindReason(reasonKey) ?? throw new InvalidException("Choose one of the reasons the school's policy names.");
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken)
            ?? throw new NotFoundException($"There is no person {personId} at school '{schoolId}'.");
        var what = For(policy, person).First(c => string.Equals(c.Reason.Key, reason.Key, StringComparison.Ordinal));
        details = details?.Trim();
        if (string.IsNullOrEmpty(details))
        {
            throw new InvalidException("Say what happened: when, and who the password was disclosed to.");
        }

        var cites = string.Join(", ", reason.Requirements);
        var text = $"{reason.Label}{(cites.Length > 0 ? $" ({cites})" : "")}: {details}";
        if (what.Consequence is null)
        {
            throw new InvalidException($"The school's policy does not say what \"{reason.Label}\" leads to for {person.FullName}'s groups. Choose the sanction by hand below.");
        }

        if (what.Consequence == SanctionConsequenceKeys.Disciplinary)
        {
            var pupil = PersonGroups.Has(person, PersonKind.Pupil);
            var rules = policy.Rules.Where(r => r.Requirements.Any(q => reason.Requirements.Contains(q, StringComparer.Ordinal))).Select(r => r.Id).ToList();
            var incident = await incidents.CreateAsync(new NewIncident(
                schoolId, pupil ? IncidentKinds.Behaviour : IncidentKinds.StaffViolation, $"{reason.Label}: {person.FullName}", [person.Id], rules,
                $"{text}\n\nUnder the school's policy this leads to disciplinary action for {what.GroupName}.", actor.UserName,
                AlsoNotify: reason.Notify), cancellationToken);
            await audit.AppendAsync(schoolId, actor.UserName, SanctionAuditActions.Disciplinary, person.Id.ToString(),
                $"{reason.Key} ({what.GroupId}): incident {incident.Id}", actor.ClientAddress, cancellationToken);
            return new ReasonOutcome(null, incident);
        }

        var sanction = await sanctions.ImposeAsync(
            new ImposeSanction(schoolId, person.Id, SanctionKinds.Parse(what.Consequence), text, null, [], actor.UserName, reason.Key), cancellationToken);
        return new ReasonOutcome(sanction, null);
    }
}
