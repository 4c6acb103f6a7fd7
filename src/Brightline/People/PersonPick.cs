using Brightline.Data.Entities;

namespace Brightline.People;

/// <summary>What a picker's form posted, resolved: the person, or the people who might be meant, or why neither.</summary>
public sealed record PersonPick(Person? Person, IReadOnlyList<PersonChoice> Candidates, string? Error)
{
    public static PersonPick Nobody { get; } = new(null, [], null);
}
