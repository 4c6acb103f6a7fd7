namespace Brightline.Policy.Model;

/// <summary>
/// An extra column of the school's MIS export that the people import keeps on each person (issue 15 part 4): house,
/// form, boarding, SEN … A group may then be defined by it (<see cref="Group.Where"/>).
/// </summary>
public sealed record PersonAttribute
{
    /// <summary>The attribute's ID, used in groups' <c>where:</c> (e.g. house).</summary>
    public required string Id { get; init; }
    /// <summary>Header names in the CSV that carry it, matched like the import's own columns (case, spaces and punctuation ignored); default the ID.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    /// <summary>The values a row may carry (matched ignoring case, stored as written here); empty = any short text.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];
    public string? Description { get; init; }

    public const int MaxValueLength = 100;
}
