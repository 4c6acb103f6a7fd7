using Brightline.Data.Entities;

namespace Brightline.People;

/// <summary>One person offered by the person picker: what a member of staff recognises them by, never an internal ID on screen.</summary>
/// <param name="Key">The form value that identifies the choice (posted, never shown).</param>
/// <param name="Name">Given and family name.</param>
/// <param name="ClassName">A pupil's class, or the class a teacher teaches.</param>
/// <param name="Number">The admission number or staff code the school's MIS gave them.</param>
public sealed record PersonChoice(Guid Key, string Name, string? ClassName, string Number)
{
    /// <summary>"Amy Brown, 7B, number 7001" — how the picker and its no-script list name a person.</summary>
    public string Label => ClassName is { Length: > 0 } c ? $"{Name}, {c}, number {Number}" : $"{Name}, number {Number}";

    public static PersonChoice Of(Person person) => new(person.Id, person.FullName, person.ClassName, person.ExternalId);
}
