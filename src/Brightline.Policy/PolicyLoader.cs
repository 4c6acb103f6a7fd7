using Brightline.Policy.CalendarFiles;
using Brightline.Policy.Model;
using Brightline.Policy.Validation;
using Brightline.Policy.Yaml;

namespace Brightline.Policy;

/// <summary>One problem in a policy file, with its position (1-based line and column).</summary>
public sealed record PolicyDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

public sealed record PolicyLoadResult(SchoolPolicy? Policy, IReadOnlyList<PolicyDiagnostic> Errors)
{
    public bool Succeeded => Policy is not null && Errors.Count == 0;

    /// <summary>Things that are allowed but probably not meant (an INSET day on a Saturday, a calendar running out); never stop a load.</summary>
    public IReadOnlyList<PolicyDiagnostic> Warnings { get; init; } = [];
}

/// <summary>Thrown where a caller needs a valid policy and the file has errors.</summary>
public sealed class PolicyInvalidException(IReadOnlyList<PolicyDiagnostic> errors)
    : Exception("The policy has errors:\n" + string.Join('\n', errors))
{
    public IReadOnlyList<PolicyDiagnostic> Errors { get; } = errors;
}

/// <summary>
/// Loads a policy from YAML: parse, validate against the published JSON Schema (positions from the
/// YAML nodes), then semantic checks (references between groups, rules and agreements; dates).
/// Reports every error, never only the first.
/// </summary>
public static class PolicyLoader
{
    /// <param name="path">The policy file.</param>
    /// <param name="today">The school's today, for the "calendar runs out" warning; null skips that warning.</param>
    public static PolicyLoadResult LoadFile(string path, DateOnly? today = null) => Load(File.ReadAllText(path), path, today);

    /// <param name="yaml">The policy's text.</param>
    /// <param name="fileName">Its path (a calendar file is found relative to it) or a name for messages.</param>
    /// <param name="today">The school's today, for the "calendar runs out" warning; null skips that warning.</param>
    public static PolicyLoadResult Load(string yaml, string fileName, DateOnly? today = null)
    {
        var problems = new List<YamlProblem>();
        var warnings = new List<YamlProblem>();
        var root = YamlTree.Parse(yaml, problems);
        if (root is null || root.IsNull)
        {
            if (problems.Count == 0)
            {
                problems.Add(new YamlProblem(1, 1, "the file is empty; a policy starts with 'brightline: 1'"));
            }

            return new PolicyLoadResult(null, ToDiagnostics(problems, yaml, fileName));
        }

        if (root.Kind != YNodeKind.Mapping)
        {
            problems.Add(new YamlProblem(root.Line, root.Column, "a policy file must be a mapping of keys (brightline, school, policy, …), not " + root.Describe()));
            return new PolicyLoadResult(null, ToDiagnostics(problems, yaml, fileName));
        }

        new SchemaWalker(PolicySchema.Root, problems).Validate(root);
        // Issue 15: a calendar file's terms count for the checks (a hold of "1 term" needs terms).
        var calendarFile = CalendarFileLoad.Read(root, fileName, problems);
        new SemanticChecks(problems, warnings, calendarFile.Terms).Run(root);
        var fileProblems = calendarFile.Result is { } read ? calendarFile.Diagnostics(read.Problems).ToList() : [];
        if (problems.Count > 0 || fileProblems.Count > 0)
        {
            return new PolicyLoadResult(null, [.. ToDiagnostics(problems, yaml, fileName), .. fileProblems]) { Warnings = ToDiagnostics(warnings, yaml, fileName) };
        }

        var policy = ModelBuilder.Build(root, fileName);
        if (calendarFile.Result is not null)
        {
            var (merged, mergeProblems) = calendarFile.Merge(policy.School.Calendar);
            if (mergeProblems.Count > 0)
            {
                return new PolicyLoadResult(null, calendarFile.Diagnostics(mergeProblems).ToList()) { Warnings = ToDiagnostics(warnings, yaml, fileName) };
            }

            policy = policy with { School = policy.School with { Calendar = merged } };
        }

        if (today is { } day && CalendarChecks.RunningOut(root.Get("school")?.Get("calendar"), policy.School.Calendar, day) is { } runningOut)
        {
            warnings.Add(runningOut);
        }

        return new PolicyLoadResult(policy, []) { Warnings = ToDiagnostics(warnings, yaml, fileName) };
    }

    /// <summary>
    /// Sorts by position, drops exact repeats, and keeps every position inside the text: the YAML
    /// parser may report the end of input one line past the last line, which editors cannot jump to.
    /// </summary>
    private static List<PolicyDiagnostic> ToDiagnostics(List<YamlProblem> problems, string yaml, string fileName)
    {
        var lines = yaml.Split('\n');
        return problems
            .Select(p =>
            {
                var line = Math.Clamp(p.Line, 1, lines.Length);
                var column = Math.Clamp(p.Column, 1, lines[line - 1].TrimEnd('\r').Length + 1);
                return new PolicyDiagnostic(fileName, line, column, p.Message);
            })
            .Distinct()
            .OrderBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ThenBy(d => d.Message, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The policy text to store: with <c>school.calendar.file</c>'s text copied under <c>file_content:</c>, so the stored
    /// version keeps the calendar it was loaded with and needs no file on the server (issue 15). Unchanged otherwise.
    /// </summary>
    public static string WithCalendarFileEmbedded(string yaml, string fileName) => CalendarFileLoad.Embed(yaml, fileName);

    /// <summary>Loads or throws <see cref="PolicyInvalidException"/>.</summary>
    public static SchoolPolicy LoadValid(string yaml, string fileName)
    {
        var result = Load(yaml, fileName);
        return result.Succeeded ? result.Policy! : throw new PolicyInvalidException(result.Errors);
    }
}
