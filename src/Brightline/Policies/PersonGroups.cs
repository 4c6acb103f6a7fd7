using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Policies;

/// <summary>
/// Which of the policy's groups a person belongs to: every group matching any of their kinds, their year group and the
/// imported attributes its <c>where:</c> names (issue 15 part 4). The one place membership is decided: agreements owed,
/// filter profiles, password rules, device requests and networks all ask here.
/// </summary>
public static class PersonGroups
{
    public static IReadOnlyList<Group> For(SchoolPolicy policy, Person person)
    {
        var attributes = PersonAttributeValues.Read(person);
        return policy.Groups.Where(g => Kinds(person).Any(k => g.Matches(k, person.YearGroup, attributes))).ToList();
    }

    /// <summary>Every kind the person is (a teacher who is also a parent is both).</summary>
    public static IEnumerable<PersonKind> Kinds(Person person) => Enum.GetValues<PersonKind>().Where(k => Has(person, k));

    public static bool Has(Person person, PersonKind kind) => (person.KindMask & (1 << (int)kind)) != 0;

    public static int Mask(params PersonKind[] kinds) => kinds.Aggregate(0, (m, k) => m | (1 << (int)k));
}
