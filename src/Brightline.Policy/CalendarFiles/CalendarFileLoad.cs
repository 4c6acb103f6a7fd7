using System.Text;
using Brightline.Policy.Model;
using Brightline.Policy.Yaml;

namespace Brightline.Policy.CalendarFiles;

/// <summary>
/// The policy loader's step for <c>school.calendar.file</c>: read the file (or the copy <c>policy load</c> stored in
/// <c>file_content</c>), report its problems as <c>calendar-file:line</c>, and merge it into the built calendar.
/// </summary>
internal sealed class CalendarFileLoad
{
    private CalendarFileLoad(string? label, CalendarFileResult? result)
    {
        Label = label;
        Result = result;
    }

    /// <summary>The file as messages name it: its path next to the policy's (e.g. policies/calendars/x.ics).</summary>
    public string? Label { get; }

    public CalendarFileResult? Result { get; }

    public int Terms => Result?.Entries.Count(e => e.Kind == CalendarEntryKind.Term) ?? 0;

    public static CalendarFileLoad Read(YNode root, string policyFileName, List<YamlProblem> problems)
    {
        var calendar = root.Get("school")?.Get("calendar");
        var fileNode = calendar?.Get("file");
        if (fileNode is not { Kind: YNodeKind.Scalar } || fileNode.IsNull || fileNode.Value.Length == 0)
        {
            return new CalendarFileLoad(null, null);
        }

        var file = fileNode.Value;
        var label = Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(policyFileName) ?? "", file);
        if (calendar!.Get("file_content") is { Kind: YNodeKind.Scalar } stored && !stored.IsNull)
        {
            return new CalendarFileLoad(label, CalendarFileReader.Read(stored.Value, file));
        }

        var path = Path.GetFullPath(label);
        if (!File.Exists(path))
        {
            problems.Add(new YamlProblem(fileNode.Line, fileNode.Column, $"calendar file '{file}' not found (looked for {path}); the path is relative to the policy file"));
            return new CalendarFileLoad(null, null);
        }

        return new CalendarFileLoad(label, CalendarFileReader.Read(File.ReadAllText(path), file));
    }

    /// <summary>The file's problems as diagnostics naming the calendar file and its line.</summary>
    public IEnumerable<PolicyDiagnostic> Diagnostics(IEnumerable<CalendarFileProblem> problems) =>
        problems.Select(p => new PolicyDiagnostic(Label ?? "calendar", p.Line, 1, p.Message));

    public (AcademicCalendar Calendar, IReadOnlyList<CalendarFileProblem> Problems) Merge(AcademicCalendar calendar) =>
        Result is null ? (calendar, []) : CalendarImport.Merge(calendar, Result.Entries);

    /// <summary>
    /// The policy text with the calendar file's text added under <c>file_content:</c> (a literal block scalar right after
    /// the <c>file:</c> line), so a stored version needs no file on disk. Unchanged when there is no file, it is already
    /// embedded, it cannot be read (loading then reports why) or <c>file:</c> is not on a line of its own.
    /// </summary>
    public static string Embed(string yaml, string policyFileName)
    {
        var root = YamlTree.Parse(yaml, []);
        var calendar = root?.Get("school")?.Get("calendar");
        if (calendar is not { Kind: YNodeKind.Mapping } || calendar.Get("file_content") is not null
            || calendar.Pairs.FirstOrDefault(p => p.Key.Value == "file") is not { } pair || pair.Value.Kind != YNodeKind.Scalar)
        {
            return yaml;
        }

        var file = pair.Value.Value;
        var path = Path.GetFullPath(Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(policyFileName) ?? "", file));
        var lines = yaml.Split('\n');
        var at = pair.Key.Line - 1;
        if (!File.Exists(path) || at >= lines.Length || !lines[at].TrimStart().StartsWith("file:", StringComparison.Ordinal))
        {
            return yaml;
        }

        var indent = new string(' ', pair.Key.Column - 1);
        var content = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            sb.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                sb.Append('\n');
            }

            if (i == at)
            {
                if (i == lines.Length - 1)
                {
                    sb.Append('\n');
                }

                // |2: the content is indented two spaces more than the key, whatever its own first line starts with
                // (an iCalendar continuation line starts with a space).
                sb.Append(indent).Append("file_content: |2\n");
                foreach (var line in content)
                {
                    sb.Append(line.Length == 0 ? "" : indent + "  " + line.TrimEnd('\r')).Append('\n');
                }
            }
        }

        return sb.ToString();
    }
}
