using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Access;

/// <summary>
/// May this person log in, use the network, use the internet — and if not, why. An agreement that
/// withholds an access must be signed before that access is given (H2, C1): "due" is not enough.
/// </summary>
public sealed class AccessGate(BrightlineDbContext db, PolicyStore policies, AgreementService agreements, TimeProvider time)
{
    public const string LeftCode = "left";
    public const string UnsignedCode = "agreement-unsigned";

    public async Task<AccessDecision> EvaluateAsync(string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken)
            ?? throw new NotFoundException($"There is no person {personId} at school '{schoolId}'.");
        var now = time.GetUtcNow();
        var today = SchoolClock.Today(time);
        if (person.LeftOn is { } left && left <= today)
        {
            return Left(person, left, now);
        }

        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        var required = await agreements.ForPersonAsync(active, person, cancellationToken);
        var sanctions = await Brightline.Access.SanctionRules.ActiveAsync(db, schoolId, personId, now, cancellationToken);
        return Brightline.Access.SanctionRules.Apply(Decide(person, required, now), sanctions);
    }

    /// <summary>
    /// <see cref="EvaluateAsync"/> for a page of people already read (the access-rights register): the same decisions,
    /// from one query for their signatures and one for their sanctions instead of a handful per person.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, AccessDecision>> EvaluateManyAsync(string schoolId, IReadOnlyList<Person> people, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = SchoolClock.Today(time);
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        var onRoll = people.Where(p => p.LeftOn is not { } left || left > today).ToList();
        var required = await agreements.ForPeopleAsync(active, onRoll, cancellationToken);
        var sanctions = await Brightline.Access.SanctionRules.ActiveAsync(db, schoolId, onRoll.Select(p => p.Id).ToList(), now, cancellationToken);
        var decisions = new Dictionary<Guid, AccessDecision>();
        foreach (var person in people)
        {
            decisions[person.Id] = person.LeftOn is { } left && left <= today
                ? Left(person, left, now)
                : Brightline.Access.SanctionRules.Apply(Decide(person, required[person.Id], now), sanctions[person.Id].ToList());
        }

        return decisions;
    }

    /// <summary>Someone who has left has no access of any kind, whatever they signed.</summary>
    private static AccessDecision Left(Person person, DateOnly left, DateTimeOffset now)
    {
        var reason = new AccessReason(LeftCode, $"{person.FullName} left on {SchoolClock.Uk(left)}.", null, left);
        return new AccessDecision(person.Id, person.FullName, now, Enum.GetValues<AccessKind>().Select(k => new AccessItem(k, false, [reason])).ToList());
    }

    internal static AccessDecision Decide(Person person, IReadOnlyList<RequiredAgreement> required, DateTimeOffset now)
    {
        var items = new List<AccessItem>();
        foreach (var kind in Enum.GetValues<AccessKind>())
        {
            var reasons = required
                .Where(r => r.State != AgreementState.Signed && r.Withholds.Contains(kind))
                .Select(r => new AccessReason(UnsignedCode, Explain(person, r), r.AgreementId, r.MissingSince)
                {
                    AgreementTitle = r.Title,
                    WaitsForSelf = r.NeedsSelf && !r.SelfSigned,
                    WaitsForParent = r.NeedsParent && !r.ParentSigned,
                })
                .ToList();
            items.Add(new AccessItem(kind, reasons.Count == 0, reasons));
        }

        return new AccessDecision(person.Id, person.FullName, now, items);
    }

    private static string Explain(Person person, RequiredAgreement r)
    {
        var who = new List<string>();
        if (r.NeedsSelf && !r.SelfSigned)
        {
            who.Add(PersonGroups.Has(person, PersonKind.Pupil) ? $"the pupil ({person.FullName})" : person.FullName);
        }

        if (r.NeedsParent && !r.ParentSigned)
        {
            who.Add("a parent");
        }

        var since = r.MissingSince is { } d ? $" (missing since {SchoolClock.Uk(d)})" : "";
        var state = r.State switch
        {
            AgreementState.Overdue => $"overdue since {SchoolClock.Uk(r.DueBy.AddDays(1))}",
            AgreementState.Due => $"due by {SchoolClock.Uk(r.DueBy)}",
            AgreementState.Signed => "signed",
            _ => throw new ArgumentOutOfRangeException(nameof(r), r.State, "Unknown state."),
        };
        return $"\"{r.Title}\" is not signed{since}: waiting for {string.Join(" and ", who)} to sign ({state}).";
    }
}
