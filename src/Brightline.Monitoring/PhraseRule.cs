namespace Brightline.Monitoring;

/// <summary>
/// One term of a rule: the words to find and whether each end must fall on a word boundary
/// (the whole-word flag, per end: <c>groom*</c> lets the word continue, <c>*phobe</c> lets it
/// start inside a longer word).
/// </summary>
/// <param name="Text">The term as written, without the <c>*</c> markers.</param>
/// <param name="WholeWordStart">The match must start at a word boundary.</param>
/// <param name="WholeWordEnd">The match must end at a word boundary.</param>
public sealed record PhraseTerm(string Text, bool WholeWordStart = true, bool WholeWordEnd = true)
{
    /// <summary>Whether both ends must be word boundaries.</summary>
    public bool WholeWord => WholeWordStart && WholeWordEnd;

    /// <summary>The term in library syntax (<c>*</c> where a word may continue).</summary>
    public override string ToString() => (WholeWordStart ? string.Empty : "*") + Text + (WholeWordEnd ? string.Empty : "*");
}

/// <summary>
/// A library entry. One term: a phrase (or, with a negative weight, an exception that lowers the
/// score of hits it overlaps). Several terms: a combination, which scores once when all of its
/// terms occur within <see cref="Window"/> words of each other.
/// </summary>
public sealed record PhraseRule
{
    /// <summary>Creates a rule.</summary>
    public PhraseRule(string category, IReadOnlyList<PhraseTerm> terms, int weight, Severity severity, int window = 0, string language = "en", string source = "")
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            ThrowHelper.ThrowArgument("A rule needs at least one term.", nameof(terms));
        }

        Category = category;
        Terms = terms;
        Weight = weight;
        Severity = severity;
        Window = window;
        Language = language;
        Source = source;
    }

    /// <summary>The category id (see <see cref="MonitoringCategories"/>); <c>*</c> for an exception that applies to every category.</summary>
    public string Category { get; }

    /// <summary>The term(s). More than one makes a combination.</summary>
    public IReadOnlyList<PhraseTerm> Terms { get; }

    /// <summary>Score added per hit; negative for an exception.</summary>
    public int Weight { get; }

    /// <summary>Severity of a hit.</summary>
    public Severity Severity { get; }

    /// <summary>For combinations: all terms must fall within this many words; 0 means anywhere in the text.</summary>
    public int Window { get; }

    /// <summary>Language tag of the phrase (e.g. <c>en</c>, <c>cy</c>, <c>pl</c>).</summary>
    public string Language { get; }

    /// <summary>Where the rule came from: <c>file:line</c>.</summary>
    public string Source { get; }

    /// <summary>Whether this is an exception (negative weight).</summary>
    public bool IsException => Weight < 0;

    /// <summary>Whether this is a combination of several terms.</summary>
    public bool IsCombination => Terms.Count > 1;

    /// <summary>The rule's phrase in library syntax: <c>kill myself</c>, <c>send &amp; pics ~8</c>.</summary>
    public string Phrase => Terms.Count == 1
        ? Terms[0].ToString()
        : string.Join(" & ", Terms.Select(t => t.ToString())) + (Window > 0 ? " ~" + Window.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
}

/// <summary>A problem found while loading a library, with the file and line it is on.</summary>
/// <param name="Source">The file (or resource) name.</param>
/// <param name="Line">1-based line number; 0 when the problem concerns the whole file.</param>
/// <param name="Message">What is wrong, in plain words.</param>
/// <param name="IsError">Errors mean a line was skipped; warnings mean it was read with a guess.</param>
public sealed record LibraryDiagnostic(string Source, int Line, string Message, bool IsError = true)
{
    /// <summary><c>file:line: message</c>.</summary>
    public override string ToString() => Line > 0 ? $"{Source}:{Line}: {Message}" : $"{Source}: {Message}";
}
