namespace Brightline.Monitoring;

/// <summary>
/// Help-seeking, disclosures and cover stories a child could write about themselves (issue 16 part 4). No benign-context
/// exception — shipped in a library or a school's own — may cancel what the built-in libraries find in them: a false
/// positive costs the DSL a minute, a missed disclosure costs a child. <c>BenignContextTests</c> holds the shipped
/// libraries to this list; the host refuses a school's exception that would lower any of these scores.
/// </summary>
public static class NeverCancelled
{
    /// <summary>The sentences (written for Brightline, not taken from any corpus); each raises a score with the built-in libraries.</summary>
    public static IReadOnlyList<string> Sentences { get; } =
    [
        "i need help with self harm",
        "im dealing with suicidal thoughts",
        "i am coping with suicidal thoughts again",
        "i cut myself by accident lol",
        "im worried about self harm",
        "signs of self harm are on my arms",
        "self harm helpline",
        "self harm support near me",
        "i want to die",
        "i want to kill myself",
        "how do i tell someone i self harm",
        "i keep cutting myself",
    ];

    /// <summary>
    /// The sentences whose score in some category <paramref name="overlay"/> would lower, scanned with
    /// <paramref name="matcher"/> (the built-in matcher in the host). Empty when the overlay is safe to apply.
    /// </summary>
    public static IReadOnlyList<string> LoweredBy(ExceptionOverlay overlay, PhraseMatcher matcher)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(matcher);
        var lowered = new List<string>();
        foreach (var sentence in Sentences)
        {
            var before = matcher.Scan(sentence);
            var after = overlay.Apply(before, sentence);
            if (before.Scores.Any(s => after.ScoreOf(s.Category) < s.Score))
            {
                lowered.Add(sentence);
            }
        }

        return lowered;
    }
}
