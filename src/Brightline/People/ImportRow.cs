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
    IReadOnlyList<ImportContact> Contacts);
