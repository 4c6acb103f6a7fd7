using System.Globalization;
using System.Net.Mail;
using Brightline.Policy.Model;
using Brightline.Portal;
using CsvHelper;
using CsvHelper.Configuration;

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
