namespace Brightline.Filtering.Lists;

/// <summary>A line a reader could not use.</summary>
/// <param name="Source">File or list name.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Text">The line (trimmed, cut to 200 characters).</param>
/// <param name="Message">What was wrong.</param>
public sealed record ListProblem(string Source, int Line, string Text, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source}:{Line}: {Message}: {Text}";
}

/// <summary>What a list reader did: lines read, entries accepted, rules skipped and bad lines (with line numbers).</summary>
public sealed class ListReport
{
    /// <summary>At most this many problems are kept; <see cref="ProblemCount"/> counts them all.</summary>
    public const int MaxProblemsKept = 1000;

    private readonly List<ListProblem> _problems = [];

    /// <summary>Creates a report for <paramref name="source"/>.</summary>
    public ListReport(string source)
    {
        Source = source;
    }

    /// <summary>File or list name.</summary>
    public string Source { get; }

    /// <summary>Lines read, including blanks and comments.</summary>
    public int Lines { get; internal set; }

    /// <summary>Entries passed to the sink.</summary>
    public int Accepted { get; internal set; }

    /// <summary>Well-formed rules of a kind the engine does not use (e.g. adblock cosmetic rules), or ignored directives.</summary>
    public int Skipped { get; internal set; }

    /// <summary>Bad lines, in order (the first <see cref="MaxProblemsKept"/>).</summary>
    public IReadOnlyList<ListProblem> Problems => _problems;

    /// <summary>Total bad lines.</summary>
    public int ProblemCount { get; private set; }

    /// <summary>Reports of included files (e2guardian <c>.Include</c>).</summary>
    public List<ListReport> Included { get; } = [];

    internal void AddProblem(int line, ReadOnlySpan<char> text, string message)
    {
        ProblemCount++;
        if (_problems.Count < MaxProblemsKept)
        {
            var cut = text.Length > 200 ? text[..200] : text;
            _problems.Add(new ListProblem(Source, line, cut.ToString(), message));
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Source}: {Lines} lines, {Accepted} accepted, {Skipped} skipped, {ProblemCount} bad";
}
