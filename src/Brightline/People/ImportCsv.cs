using System.Globalization;
using System.Net.Mail;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using CsvHelper;
using CsvHelper.Configuration;

namespace Brightline.People;

/// <summary>
/// Reads an MIS export. Headers are matched case-, space- and punctuation-insensitively against the
/// aliases the common MIS exports use (documented in docs/people-import.md), so a school can upload
/// the file its MIS produced without editing it. Each bad row is reported with its line number and skipped.
/// </summary>
internal static class ImportCsv
{
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["id"] = ["admissionnumber", "admissionno", "adno", "admno", "pupilid", "studentid", "misid", "id", "staffcode", "staffid", "code",
                  "employeenumber", "employeeno", "payrollnumber", "reference", "ref", "personid", "externalid"],
        ["upn"] = ["upn", "uniquepupilnumber"],
        ["given"] = ["forename", "legalforename", "preferredforename", "firstname", "givenname", "forenames", "first"],
        ["family"] = ["surname", "legalsurname", "preferredsurname", "lastname", "familyname", "last"],
        ["name"] = ["name", "fullname"],
        ["year"] = ["yeargroup", "year", "ncyear", "ncyearactual", "curriculumyear", "yr", "headofyear"],
        ["class"] = ["class", "reggroup", "registrationgroup", "reggroupname", "form", "tutorgroup", "classname", "classtaught", "classteacherof", "teaches"],
        ["start"] = ["startdate", "admissiondate", "dateofadmission", "entrydate", "dateofentry", "employmentstartdate", "joined", "joinedon", "start"],
        ["email"] = ["email", "emailaddress", "workemail", "schoolemail", "pupilemail", "staffemail"],
        ["job"] = ["jobtitle", "job", "post", "position", "roletitle", "organisation", "organization", "company"],
        ["kind"] = ["kind", "type", "stafftype", "category", "persontype", "adulttype"],
        ["roles"] = ["roles", "role", "responsibilities"],
    };

    private static readonly string[] s_contactPrefixes = ["contact", "parent", "parentcarer", "carer", "guardian", "primarycontact", "priority", "contactpriority"];

    private static readonly string[] s_dateFormats = ["dd/MM/yyyy", "d/M/yyyy", "dd/MM/yy", "d/M/yy", "yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "d MMMM yyyy", "d MMM yyyy"];

    public static Task<ParsedImport> ReadAsync(Stream stream, ImportKind kind, IProgress<int>? progress, CancellationToken cancellationToken) =>
        ReadAsync(stream, kind, [], progress, cancellationToken);

    /// <param name="attributes">The policy's <c>attributes:</c>: extra columns kept on each person (issue 15 part 4).</param>
    public static async Task<ParsedImport> ReadAsync(
        Stream stream, ImportKind kind, IReadOnlyList<PersonAttribute> attributes, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = true,
            MissingFieldFound = null,
            BadDataFound = null,
            DetectDelimiter = true,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
        };
        using var csv = new CsvReader(reader, config);
        var rows = new List<ImportRow>();
        var errors = new List<ImportRowError>();
        if (!await csv.ReadAsync() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            errors.Add(new ImportRowError(1, "the file is empty: expected a header row"));
            return new ParsedImport(0, rows, errors);
        }

        var columns = MapHeader(header);
        var missing = RequiredColumns(kind).Where(c => !columns.ContainsKey(c) && !(c is "given" or "family" && columns.ContainsKey("name"))).ToList();
        if (kind == ImportKind.Pupils && !columns.ContainsKey("id") && !columns.ContainsKey("upn"))
        {
            missing.Insert(0, "id");
        }

        if (missing.Count > 0)
        {
            errors.Add(new ImportRowError(1, "the header has no column for " + string.Join(", ", missing.Select(DescribeColumn))
                + $" (columns found: {string.Join(", ", header)}). See docs/people-import.md for the accepted names."));
            return new ParsedImport(0, rows, errors);
        }

        // Only the attributes whose column the file has: a file without the column leaves what is stored alone.
        var attributeColumns = attributes
            .Select(a => (Attribute: a, Index: a.Columns.Select(c => columns.TryGetValue("#" + Normalise(c), out var i) ? i : -1).FirstOrDefault(i => i >= 0, -1)))
            .Where(a => a.Index >= 0)
            .ToList();
        var firstRowOfId = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var read = 0;
        while (await csv.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = csv.Parser.RawRow;
            read++;
            if (read % 250 == 0)
            {
                progress?.Report(read);
            }

            string? Get(string key) => columns.TryGetValue(key, out var index) && csv.TryGetField<string>(index, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

            var problems = new List<string>();
            var id = Get("id") ?? Get("upn");
            if (kind == ImportKind.Pupils && Get("id") is null && Get("upn") is null)
            {
                problems.Add("missing admission number / UPN");
            }
            else if (id is null)
            {
                problems.Add("missing " + DescribeColumn("id"));
            }

            var given = Get("given");
            var family = Get("family");
            if ((given is null || family is null) && Get("name") is { } fullName)
            {
                (given, family) = SplitName(fullName, given, family);
            }

            if (given is null || family is null)
            {
                problems.Add("missing name (forename and surname)");
            }

            string? year = null;
            var mask = 0;
            if (kind == ImportKind.Pupils)
            {
                mask = PersonGroups.Mask(PersonKind.Pupil);
                var rawYear = Get("year");
                year = rawYear is null ? null : NormaliseYear(rawYear);
                if (rawYear is null)
                {
                    problems.Add("missing year group");
                }
                else if (year is null)
                {
                    problems.Add($"unknown year group '{rawYear}' (use R, N or 1–13, e.g. \"Reception\", \"Year 3\")");
                }
            }
            else
            {
                var rawKind = Get("kind");
                var parsedKind = rawKind is null ? (kind == ImportKind.Staff ? PersonKind.Staff : PersonKind.Visitor) : ParseKind(rawKind);
                if (parsedKind is null)
                {
                    problems.Add($"unknown kind '{rawKind}' (use staff, governor, volunteer, contractor, student, supply or visitor)");
                }
                else
                {
                    mask = PersonGroups.Mask(parsedKind.Value);
                }

                // H8: a member of staff's year group is the year they look after (a Head of Year sees and is told about
                // that year's pupils); optional, and blank for everyone else.
                if (kind == ImportKind.Staff && Get("year") is { } staffYear)
                {
                    year = NormaliseYear(staffYear);
                    if (year is null)
                    {
                        problems.Add($"unknown year group '{staffYear}' for the year this member of staff looks after (use R, N or 1–13, e.g. \"Year 9\"), or leave it blank");
                    }
                }
            }

            var email = Get("email");
            if (email is not null && !ValidEmail(email))
            {
                problems.Add($"bad email '{email}'");
            }

            DateOnly? start = null;
            if (Get("start") is { } rawStart)
            {
                if (ParseDate(rawStart) is { } d)
                {
                    start = d;
                }
                else
                {
                    problems.Add($"bad start date '{rawStart}' (use dd/mm/yyyy, e.g. 01/09/2026)");
                }
            }

            IReadOnlyList<string>? roles = null;
            if (kind != ImportKind.Pupils && columns.ContainsKey("roles"))
            {
                roles = (Get("roles") ?? "").Split([';', ',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(NormaliseRole).Distinct(StringComparer.Ordinal).ToList();
            }

            var contacts = new List<ImportContact>();
            if (kind == ImportKind.Pupils)
            {
                foreach (var (number, contactColumns) in ContactColumns(columns))
                {
                    string? C(string key) => contactColumns.TryGetValue(key, out var index) && csv.TryGetField<string>(index, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
                    var cEmail = C("email");
                    var cGiven = C("given");
                    var cFamily = C("family");
                    if (C("name") is { } cName)
                    {
                        (cGiven, cFamily) = SplitName(cName, cGiven, cFamily);
                    }

                    if (cEmail is null && cGiven is null && cFamily is null)
                    {
                        continue;
                    }

                    if (cEmail is not null && !ValidEmail(cEmail))
                    {
                        problems.Add($"bad email '{cEmail}' for contact {number}");
                        continue;
                    }

                    if (cGiven is null || cFamily is null)
                    {
                        problems.Add($"missing name for contact {number}");
                        continue;
                    }

                    contacts.Add(new ImportContact(number, cGiven, cFamily, cEmail, C("relationship")));
                }
            }

            Dictionary<string, string?>? attributeValues = null;
            if (attributeColumns.Count > 0)
            {
                attributeValues = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var (attribute, index) in attributeColumns)
                {
                    var raw = csv.TryGetField<string>(index, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
                    if (raw is null)
                    {
                        attributeValues[attribute.Id] = null;
                    }
                    else if (attribute.Values.Count > 0)
                    {
                        var value = attribute.Values.FirstOrDefault(a => string.Equals(a, raw, StringComparison.OrdinalIgnoreCase));
                        if (value is null)
                        {
                            problems.Add($"unknown {attribute.Id} '{Shorten(raw)}' (use {string.Join(", ", attribute.Values)})");
                        }

                        attributeValues[attribute.Id] = value;
                    }
                    else if (raw.Length > PersonAttribute.MaxValueLength)
                    {
                        problems.Add($"{attribute.Id} is longer than {PersonAttribute.MaxValueLength} characters");
                    }
                    else
                    {
                        attributeValues[attribute.Id] = raw;
                    }
                }
            }

            if (id is not null && problems.Count == 0)
            {
                if (firstRowOfId.TryGetValue(id, out var firstRow))
                {
                    problems.Add($"duplicate {(kind == ImportKind.Pupils ? "admission number / UPN" : "ID")} '{id}' (also on row {firstRow})");
                }
                else
                {
                    firstRowOfId[id] = line;
                }
            }

            if (problems.Count > 0)
            {
                errors.Add(new ImportRowError(line, string.Join("; ", problems)));
                continue;
            }

            rows.Add(new ImportRow(line, id!, given!, family!, mask, year, Get("class"), columns.ContainsKey("class"), email,
                Get("job"), columns.ContainsKey("job"), start, roles, contacts) { Attributes = attributeValues, HasYearColumn = columns.ContainsKey("year") });
        }

        progress?.Report(read);
        return new ParsedImport(read, rows, errors);
    }

    public static string? NormaliseYear(string raw)
    {
        var s = new string(raw.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        switch (s)
        {
            case "R" or "REC" or "RECEPTION" or "YR" or "YEARR" or "YEARRECEPTION" or "FS2" or "F2":
                return "R";
            case "N" or "NUR" or "NURSERY" or "YN" or "FS1" or "F1" or "N1" or "N2":
                return "N";
            default:
                break;
        }

        foreach (var prefix in new[] { "YEAR", "YR", "Y" })
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal))
            {
                s = s[prefix.Length..];
                break;
            }
        }

        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 13
            ? n.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    public static PersonKind? ParseKind(string raw) => Normalise(raw) switch
    {
        "staff" or "teacher" or "teachingstaff" or "supportstaff" or "ta" or "teachingassistant" or "employee" or "support" => PersonKind.Staff,
        "governor" or "trustee" => PersonKind.Governor,
        "volunteer" => PersonKind.Volunteer,
        "contractor" => PersonKind.Contractor,
        "student" or "traineeteacher" or "trainee" or "placement" or "studentteacher" => PersonKind.Student,
        "supply" or "supplyteacher" or "supplystaff" => PersonKind.Supply,
        "visitor" or "guest" => PersonKind.Visitor,
        _ => null,
    };

    public static DateOnly? ParseDate(string raw) =>
        DateOnly.TryParseExact(raw.Trim(), s_dateFormats, CultureInfo.GetCultureInfo("en-GB"), DateTimeStyles.None, out var d) ? d : null;

    public static bool ValidEmail(string email) =>
        MailAddress.TryCreate(email, out var address)
        && string.Equals(address.Address, email, StringComparison.Ordinal)
        && address.Host.Contains('.', StringComparison.Ordinal);

    private static string NormaliseRole(string raw)
    {
        var s = raw.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
        return s switch
        {
            "designated_safeguarding_lead" => PortalRoles.Dsl,
            "deputy_designated_safeguarding_lead" or "ddsl" => PortalRoles.DeputyDsl,
            "headteacher" or "head_teacher" => PortalRoles.Head,
            "ict_coordinator" or "computing" => PortalRoles.ComputingLead,
            _ => s,
        };
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static string Normalise(string header) =>
        new string(header.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    private static Dictionary<string, int> MapHeader(string[] header)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var h = Normalise(header[i]);
            foreach (var (key, aliases) in Aliases)
            {
                if (aliases.Contains(h, StringComparer.Ordinal) && !map.ContainsKey(key))
                {
                    map[key] = i;
                }
            }

            // Contact columns are kept by their normalised header for ContactColumns.
            map.TryAdd("#" + h, i);
        }

        return map;
    }

    /// <summary>Contact 1 and 2 columns: "Contact 1 Email", "Parent1 Name", "Parent/Carer 2 Relationship" …</summary>
    private static IEnumerable<(int Number, Dictionary<string, int> Columns)> ContactColumns(Dictionary<string, int> columns)
    {
        for (var n = 1; n <= 2; n++)
        {
            var found = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var prefix in s_contactPrefixes)
            {
                foreach (var (field, suffixes) in new (string, string[])[]
                {
                    ("name", ["name", "fullname"]),
                    ("given", ["forename", "firstname", "givenname"]),
                    ("family", ["surname", "lastname", "familyname"]),
                    ("email", ["email", "emailaddress"]),
                    ("relationship", ["relationship", "relation", "relationshiptopupil"]),
                })
                {
                    foreach (var suffix in suffixes)
                    {
                        if (columns.TryGetValue($"#{prefix}{n}{suffix}", out var index))
                        {
                            found.TryAdd(field, index);
                        }
                    }
                }
            }

            if (found.Count > 0)
            {
                yield return (n, found);
            }
        }
    }

    private static IEnumerable<string> RequiredColumns(ImportKind kind) => kind switch
    {
        ImportKind.Pupils => ["given", "family", "year"],
        ImportKind.Staff => ["id", "given", "family"],
        ImportKind.Adults => ["id", "given", "family"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown import kind."),
    };

    private static string DescribeColumn(string key) => key switch
    {
        "id" => "an ID (admission number, UPN, staff code or reference)",
        "given" => "forename",
        "family" => "surname",
        "year" => "year group",
        _ => key,
    };

    private static (string? Given, string? Family) SplitName(string full, string? given, string? family)
    {
        // "Surname, Forename" is how several MIS exports write a contact's name.
        if (full.Contains(',', StringComparison.Ordinal))
        {
            var parts = full.Split(',', 2, StringSplitOptions.TrimEntries);
            return (given ?? NullIfEmpty(parts[1]), family ?? NullIfEmpty(parts[0]));
        }

        var words = full.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var title = words.Length > 2 && words[0].TrimEnd('.') is "Mr" or "Mrs" or "Ms" or "Miss" or "Mx" or "Dr" ? 1 : 0;
        words = words[title..];
        return words.Length < 2 ? (given ?? NullIfEmpty(full), family) : (given ?? string.Join(' ', words[..^1]), family ?? words[^1]);
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
