namespace Brightline.Monitoring;

/// <summary>What kind of rule produced a hit.</summary>
public enum HitKind
{
    /// <summary>A phrase matched.</summary>
    Phrase = 0,

    /// <summary>All terms of a combination matched within its window.</summary>
    Combination = 1,

    /// <summary>An exception matched; its weight lowers the hits it overlaps.</summary>
    Exception = 2,
}

/// <summary>One match of a rule in the original text.</summary>
/// <param name="Category">The rule's category id.</param>
/// <param name="Phrase">The rule's phrase in library syntax.</param>
/// <param name="Weight">The rule's weight (negative for an exception).</param>
/// <param name="EffectiveWeight">
/// What this hit contributes after exceptions: for a phrase or combination, its weight less what
/// overlapping exceptions took away (never below 0); for an exception, minus what it took away.
/// </param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="Start">Start of the match in the original text (UTF-16 index).</param>
/// <param name="Length">Length of the match in the original text (UTF-16 code units).</param>
/// <param name="MatchedText">The original text of the match, exactly as written.</param>
/// <param name="Kind">Phrase, combination or exception.</param>
/// <param name="Rule">The rule that matched.</param>
public sealed record Hit(
    string Category,
    string Phrase,
    int Weight,
    int EffectiveWeight,
    Severity Severity,
    int Start,
    int Length,
    string MatchedText,
    HitKind Kind,
    PhraseRule Rule)
{
    /// <summary>End of the match in the original text (exclusive).</summary>
    public int End => Start + Length;
}

/// <summary>The score of one category in one scan.</summary>
/// <param name="Category">Category id.</param>
/// <param name="Score">Sum of effective weights of the category's hits (never negative).</param>
/// <param name="HitCount">Number of phrase and combination hits (exceptions not counted).</param>
/// <param name="MaxSeverity">Highest severity among hits that still count after exceptions; null when all were cancelled.</param>
public sealed record CategoryScore(string Category, int Score, int HitCount, Severity? MaxSeverity);

/// <summary>The result of scanning one text.</summary>
public sealed class ScanResult
{
    internal ScanResult(IReadOnlyList<Hit> hits, IReadOnlyList<CategoryScore> scores)
    {
        Hits = hits;
        Scores = scores;
        TotalScore = scores.Sum(s => s.Score);
        MaxSeverity = scores.Max(s => s.MaxSeverity);
    }

    /// <summary>A result with nothing found.</summary>
    public static ScanResult Empty { get; } = new([], []);

    /// <summary>Every hit, ordered by start position (then end, then rule order).</summary>
    public IReadOnlyList<Hit> Hits { get; }

    /// <summary>Per-category scores, highest first; only categories with at least one phrase or combination hit.</summary>
    public IReadOnlyList<CategoryScore> Scores { get; }

    /// <summary>Sum of all category scores.</summary>
    public int TotalScore { get; }

    /// <summary>Highest severity among hits that still count; null when nothing counts.</summary>
    public Severity? MaxSeverity { get; }

    /// <summary>The score of <paramref name="category"/>, 0 when it had no hits.</summary>
    public int ScoreOf(string category)
    {
        foreach (var score in Scores)
        {
            if (string.Equals(score.Category, category, StringComparison.Ordinal))
            {
                return score.Score;
            }
        }

        return 0;
    }
}
