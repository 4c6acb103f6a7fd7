using System.Text.RegularExpressions;
using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// Keeps docs/requirements.md true (issue 15): every requirement ID once, an honest status, real
/// tests named, nothing a policy file claims to implement called missing, and summaries that add up.
/// </summary>
public sealed partial class RequirementsDocTests
{
    /// <summary>
    /// The 72 IDs of the shared REQUIREMENTS.md. Hard-coded because that file lives beside the
    /// repository, not in it; when it is there too, <see cref="Ids_MatchTheSharedRequirementsFile_WhenItIsBesideTheRepository"/> compares.
    /// </summary>
    private static readonly string[] CanonicalIds =
    [
        "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "W12",
        "O1", "O2", "O3", "O4", "O5", "O6", "O7", "O9", "O10", "O11", "O13", "O14", "O15", "O17", "O19", "O20", "O21", "O22", "O23",
        "H1", "H2", "H3", "H5", "H6", "H7", "H8", "H11", "H12", "H13", "H14", "H15", "H17",
        "F3", "F4", "F5", "F7", "F10", "F11", "F13", "F14", "F15",
        "C1", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12", "C13", "C14", "C15", "C16", "C17", "C19", "C20", "C22",
    ];

    /// <summary>Each ID's first letter names the seed school whose policy file it belongs to.</summary>
    private static readonly Dictionary<char, string> SchoolFiles = new()
    {
        ['W'] = "wetherby.yaml",
        ['O'] = "omnicom-primary.yaml",
        ['H'] = "westbrook-hay.yaml",
        ['F'] = "westfield.yaml",
        ['C'] = "st-clements.yaml",
    };

    private static readonly string[] Statuses = ["met", "partial", "missing"];
    private static readonly string[] Targets = ["enforced", "tracked", "rendered"];

    private const string DocPath = "docs/requirements.md";

    private sealed record Row(int Line, char School, string Id, string What, string Target, string Status, string Gap,
        IReadOnlyList<string> ProvedBy, string Where);

    private sealed record Summary(int Line, char School, int Met, int Partial, int Missing);

    private static readonly Lazy<(List<Row> Rows, List<Summary> Summaries, List<string> Problems)> Parsed = new(Parse);

    [Fact]
    public void Doc_ParsesWithoutProblems()
    {
        Parsed.Value.Problems.ShouldBeEmpty(string.Join('\n', Parsed.Value.Problems));
    }

    [Fact]
    public void Ids_AreExactlyTheCanonicalOnes_EachOnce()
    {
        var rows = Parsed.Value.Rows;
        var problems = new List<string>();
        foreach (var group in rows.GroupBy(r => r.Id).Where(g => g.Count() > 1))
        {
            problems.Add($"{group.Key} appears {group.Count()} times (lines {string.Join(", ", group.Select(r => r.Line))}); keep one row.");
        }

        foreach (var row in rows.Where(r => !CanonicalIds.Contains(r.Id, StringComparer.Ordinal)))
        {
            problems.Add($"line {row.Line}: {row.Id} is not a requirement ID in REQUIREMENTS.md; remove the row or fix the ID.");
        }

        foreach (var id in CanonicalIds.Where(id => rows.All(r => r.Id != id)))
        {
            problems.Add($"{id} has no row; add it to the {id[0]} table.");
        }

        foreach (var row in rows.Where(r => r.Id[0] != r.School))
        {
            problems.Add($"line {row.Line}: {row.Id} sits in the {row.School} table; move it to the {row.Id[0]} table.");
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public void Ids_MatchTheSharedRequirementsFile_WhenItIsBesideTheRepository()
    {
        var shared = Path.GetFullPath(Path.Combine(RepoFiles.Root, "..", "shared", "REQUIREMENTS.md"));
        if (!File.Exists(shared))
        {
            return; // Only the hard-coded list can be checked on a machine without the shared folder.
        }

        var ids = SharedIdLine().Matches(File.ReadAllText(shared)).Select(m => m.Groups[1].Value).ToList();
        ids.ShouldBe(CanonicalIds, ignoreOrder: true,
            $"{shared} lists different IDs; update CanonicalIds in this test and the rows of {DocPath}.");
    }

    [Fact]
    public void Rows_HaveAKnownTargetAndStatus_MetRowsNameATest_PartialRowsSayWhatIsMissing()
    {
        var problems = new List<string>();
        foreach (var row in Parsed.Value.Rows)
        {
            if (!Targets.Contains(row.Target, StringComparer.Ordinal))
            {
                problems.Add($"line {row.Line} ({row.Id}): target '{row.Target}' must be one of {string.Join('/', Targets)}.");
            }

            if (!Statuses.Contains(row.Status, StringComparer.Ordinal))
            {
                problems.Add($"line {row.Line} ({row.Id}): status '{row.Status}' must be one of {string.Join('/', Statuses)}.");
            }

            if (row.Status == "met" && row.ProvedBy.Count == 0)
            {
                problems.Add($"line {row.Line} ({row.Id}): a met row must name the test that proves it, or say partial.");
            }

            if (row.Status == "partial" && row.Gap.Length == 0)
            {
                problems.Add($"line {row.Line} ({row.Id}): write 'partial — <what is missing>'.");
            }

            if (row.What.Length == 0 || row.Where.Length == 0)
            {
                problems.Add($"line {row.Line} ({row.Id}): fill in the What and Where columns.");
            }
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public void NamedTests_ExistInTheTestSources()
    {
        var declared = DeclaredTestMethods();
        var problems = new List<string>();
        foreach (var row in Parsed.Value.Rows)
        {
            foreach (var test in row.ProvedBy)
            {
                var dot = test.LastIndexOf('.');
                if (dot <= 0 || dot == test.Length - 1)
                {
                    problems.Add($"line {row.Line} ({row.Id}): '{test}' is not TestClass.MethodName.");
                }
                else if (!declared.Contains((test[..dot], test[(dot + 1)..])))
                {
                    problems.Add($"line {row.Line} ({row.Id}): no file under tests/ declares class {test[..dot]} with a method {test[(dot + 1)..]}; fix the name or the row.");
                }
            }
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public void ImplementedIds_AreInTheDoc_AndNotMissing()
    {
        var rows = Parsed.Value.Rows.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in RepoFiles.PolicyFiles())
        {
            var name = Path.GetFileName(file);
            var policy = PolicyLoader.LoadValid(File.ReadAllText(file), name);
            // An ID that is not in REQUIREMENTS.md (westfield.yaml still lists F1, dropped from the
            // list) is not this page's business; Ids_AreExactlyTheCanonicalOnes covers the page.
            foreach (var id in policy.Policy.Implements.Where(id => CanonicalIds.Contains(id, StringComparer.Ordinal)))
            {
                if (!rows.TryGetValue(id, out var row))
                {
                    problems.Add($"{name} implements {id}, but {DocPath} has no row for it.");
                }
                else if (row.Status == "missing")
                {
                    problems.Add($"line {row.Line} ({id}): {name} says it implements {id}; the row may not say missing.");
                }
            }
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public void RenderedRows_AreCitedByARuleInTheirSchoolsPolicy()
    {
        var problems = new List<string>();
        foreach (var row in Parsed.Value.Rows.Where(r => r.Target == "rendered"))
        {
            var file = SchoolFiles[row.Id[0]];
            var policy = PolicyLoader.LoadValid(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file)), file);
            if (!policy.Rules.Any(r => r.Requirements.Contains(row.Id, StringComparer.Ordinal)))
            {
                problems.Add($"line {row.Line} ({row.Id}): no rule in {file} lists {row.Id} under requirements, so nothing prints it.");
            }
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    [Fact]
    public void Summaries_MatchTheRows()
    {
        var (rows, summaries, _) = Parsed.Value;
        var problems = new List<string>();
        foreach (var school in SchoolFiles.Keys)
        {
            var mine = rows.Where(r => r.School == school).ToList();
            var found = summaries.Where(s => s.School == school).ToList();
            if (found.Count != 1)
            {
                problems.Add($"the {school} table needs exactly one summary line '<School>: N met, N partial, N missing.' (found {found.Count}).");
                continue;
            }

            var s = found[0];
            var (met, partial, missing) = (mine.Count(r => r.Status == "met"), mine.Count(r => r.Status == "partial"), mine.Count(r => r.Status == "missing"));
            if ((s.Met, s.Partial, s.Missing) != (met, partial, missing))
            {
                problems.Add($"line {s.Line}: the {school} summary says {s.Met} met, {s.Partial} partial, {s.Missing} missing; the rows give {met} met, {partial} partial, {missing} missing.");
            }
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
    }

    private static (List<Row>, List<Summary>, List<string>) Parse()
    {
        var rows = new List<Row>();
        var summaries = new List<Summary>();
        var problems = new List<string>();
        char? school = null;
        var lines = File.ReadAllLines(Path.Combine(RepoFiles.Root, DocPath));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var number = i + 1;
            var heading = SchoolHeading().Match(line);
            if (heading.Success)
            {
                school = heading.Groups[1].Value[0];
                continue;
            }

            var summary = SummaryLine().Match(line);
            if (summary.Success)
            {
                if (school is null)
                {
                    problems.Add($"line {number}: a summary line before any school heading.");
                    continue;
                }

                summaries.Add(new Summary(number, school.Value, int.Parse(summary.Groups[1].Value),
                    int.Parse(summary.Groups[2].Value), int.Parse(summary.Groups[3].Value)));
                continue;
            }

            if (!line.StartsWith('|') || line.StartsWith("| ID", StringComparison.Ordinal) || line.StartsWith("|---", StringComparison.Ordinal))
            {
                continue;
            }

            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 6)
            {
                problems.Add($"line {number}: a table row needs 6 columns (ID | What | Target | Status | Proved by | Where), found {cells.Length}.");
                continue;
            }

            if (school is null)
            {
                problems.Add($"line {number}: a table row before any '## X — School' heading.");
                continue;
            }

            var status = cells[3];
            var gap = "";
            var dash = status.IndexOf('—');
            if (dash >= 0)
            {
                gap = status[(dash + 1)..].Trim();
                status = status[..dash].Trim();
            }

            var provedBy = cells[4].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => t.Trim('`')).ToList();
            rows.Add(new Row(number, school.Value, cells[0], cells[1], cells[2], status, gap, provedBy, cells[5]));
        }

        if (rows.Count == 0)
        {
            problems.Add($"{DocPath} has no table rows.");
        }

        return (rows, summaries, problems);
    }

    /// <summary>(class, method) pairs declared in the same file anywhere under tests/, from the source text.</summary>
    private static HashSet<(string Class, string Method)> DeclaredTestMethods()
    {
        var declared = new HashSet<(string, string)>();
        var skip = new[] { "/bin/", "/obj/", "/node_modules/" };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoFiles.Root, "tests"), "*.cs", SearchOption.AllDirectories))
        {
            var normalised = file.Replace('\\', '/');
            if (skip.Any(s => normalised.Contains(s, StringComparison.Ordinal)))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            var classes = ClassDeclaration().Matches(text).Select(m => m.Groups[1].Value).ToList();
            var methods = MethodDeclaration().Matches(text).Select(m => m.Groups[1].Value).ToList();
            foreach (var c in classes)
            {
                foreach (var m in methods)
                {
                    declared.Add((c, m));
                }
            }
        }

        return declared;
    }

    [GeneratedRegex(@"^##\s+([WOHFC])\s+—")]
    private static partial Regex SchoolHeading();

    [GeneratedRegex(@"^[^|#].*:\s+(\d+) met, (\d+) partial, (\d+) missing\.$")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^- ([WOHFC]\d+) ", RegexOptions.Multiline)]
    private static partial Regex SharedIdLine();

    [GeneratedRegex(@"\bclass\s+(\w+)")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"\b(?:Task|void)\s+(\w+)\s*\(")]
    private static partial Regex MethodDeclaration();
}
