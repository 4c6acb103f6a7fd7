using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

/// <summary>
/// The status rules, as a pure computation over one person's data, so the dashboard can evaluate a
/// whole school in memory after loading it in a handful of queries.
/// </summary>
internal static class AgreementStatus
{
    public static IReadOnlyList<RequiredAgreement> Compute(
        SchoolPolicy policy,
        IReadOnlyDictionary<string, AgreementVersion> versions,
        Person person,
        IReadOnlyList<Signature> signatures,
        DateOnly today,
        IReadOnlyCollection<string>? extraGroups = null)
    {
        if (person.LeftOn is { } left && left <= today)
        {
            return [];
        }

        var groupIds = PersonGroups.For(policy, person).Select(g => g.Id).ToHashSet(StringComparer.Ordinal);
        if (extraGroups is not null)
        {
            // O14: a parent or volunteer approved to act in an official capacity is under the staff rules
            // while the approval lasts, so the staff agreement applies to them too.
            groupIds.UnionWith(extraGroups);
        }

        var result = new List<RequiredAgreement>();
        foreach (var agreement in policy.Agreements)
        {
            if (!agreement.Audience.Any(groupIds.Contains) || !versions.TryGetValue(agreement.Id, out var version))
            {
                continue;
            }

            result.Add(Evaluate(policy, agreement, version, person, signatures, today, groupIds));
        }

        return result;
    }

    public static RequiredAgreement Evaluate(
        SchoolPolicy policy, Agreement agreement, AgreementVersion version, Person person, IReadOnlyList<Signature> signatures, DateOnly today,
        IReadOnlyCollection<string>? groupIds = null)
    {
        var calendar = policy.School.Calendar;
        var yearStart = calendar.AcademicYearStart(today);
        var needsSelf = agreement.Signers is Signers.Self or Signers.Both;
        var needsParent = agreement.Signers is Signers.Parent or Signers.Both;
        // W6 (issue 15 part 4): a child in a parent_signs_for group (Wetherby's EYFS) owes nothing himself; a parent
        // signs on his behalf instead, and that one signature is the whole of it.
        var onBehalf = needsSelf && groupIds is not null && agreement.ParentSignsFor.Any(groupIds.Contains);
        if (onBehalf)
        {
            needsSelf = false;
            needsParent = true;
        }

        bool Valid(Signature s) => agreement.Renewal switch
        {
            Renewal.Once => true,
            Renewal.OnChange => string.Equals(s.TextHash, version.TextHash, StringComparison.Ordinal),
            Renewal.AcademicYear => string.Equals(s.TextHash, version.TextHash, StringComparison.Ordinal)
                && calendar.AcademicYearStart(SchoolClock.DateOf(s.SignedAt)) == yearStart,
            _ => throw new ArgumentOutOfRangeException(nameof(agreement), agreement.Renewal, "Unknown renewal."),
        };

        var mine = signatures.Where(s => s.PersonId == person.Id && string.Equals(s.AgreementId, agreement.Id, StringComparison.Ordinal)).ToList();
        var selfSigned = mine.Any(s => s.Capacity == SignerCapacity.Self && Valid(s));
        var parentSigned = mine.Any(s => s.Capacity == SignerCapacity.Parent && Valid(s));

        // The requirement last (re)started on the latest of: the person's start, this text's introduction
        // and, for yearly renewal, the year's start. Each has its own grace period; the latest deadline wins.
        var textDate = SchoolClock.DateOf(version.CreatedAt);
        var dueBy = person.JoinedOn.AddDays(agreement.JoinerDeadlineDays);
        var since = person.JoinedOn;
        if (agreement.Renewal != Renewal.Once)
        {
            dueBy = Max(dueBy, textDate.AddDays(agreement.RenewalDeadlineDays));
            since = Max(since, textDate);
        }

        if (agreement.Renewal == Renewal.AcademicYear)
        {
            dueBy = Max(dueBy, yearStart.AddDays(agreement.RenewalDeadlineDays));
            since = Max(since, yearStart);
        }

        var signed = (!needsSelf || selfSigned) && (!needsParent || parentSigned);
        var state = signed ? AgreementState.Signed : today <= dueBy ? AgreementState.Due : AgreementState.Overdue;
        return new RequiredAgreement(
            agreement.Id, agreement.Title, version.Id, version.TextHash, agreement.Signers,
            needsSelf, needsParent, selfSigned, parentSigned, dueBy, state, agreement.Withholds,
            signed ? null : since)
        {
            OnBehalf = onBehalf,
            ParentSignerId = mine.Where(s => s.Capacity == SignerCapacity.Parent && Valid(s)).OrderByDescending(s => s.SignedAt).Select(s => (Guid?)s.SignerId).FirstOrDefault(),
        };
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
