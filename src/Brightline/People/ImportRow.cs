namespace Brightline.People;

internal sealed record ImportRow(
    int Row,
    string ExternalId,
    string GivenName,
    string FamilyName,
    int KindMask,
    string? YearGroup,
    string? ClassName,
    bool HasClassColumn,
    string? Email,
    string? JobTitle,
    bool HasJobTitleColumn,
    DateOnly? StartDate,
    IReadOnlyList<string>? Roles,
    IReadOnlyList<ImportContact> Contacts)
{
    /// <summary>Values of the policy's attributes whose column the file has (null = blank cell); null when it has none.</summary>
    public IReadOnlyDictionary<string, string?>? Attributes { get; init; }

    /// <summary>True when the file has a year group column (required for pupils; for staff, the year a Head of Year looks after).</summary>
    public bool HasYearColumn { get; init; }
}
