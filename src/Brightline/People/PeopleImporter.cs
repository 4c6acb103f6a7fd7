using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.People;

/// <summary>Imports MIS-style CSV exports. (Stub: being built.)</summary>
public sealed class PeopleImporter
{
    public Task<ImportReport> ImportAsync(string schoolId, Stream csv, ImportKind kind, ImportOptions options, string actor, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}

/// <summary>Which of the policy's groups a person belongs to. (Stub: being built.)</summary>
public static class PersonGroups
{
    public static IReadOnlyList<Group> For(SchoolPolicy policy, Person person) => throw new NotImplementedException();

    public static bool Has(Person person, PersonKind kind) => (person.KindMask & (1 << (int)kind)) != 0;

    public static int Mask(params PersonKind[] kinds) => kinds.Aggregate(0, (m, k) => m | (1 << (int)k));
}
