namespace Brightline.Monitoring.Tests;

/// <summary>
/// The "Scunthorpe" tests: every word of Debian's British English word list, scanned on its own.
/// </summary>
public sealed class DictionaryTests
{
    /// <summary>
    /// Words in the British English list that are themselves profanity library entries, matched as
    /// the whole word. These are true positives (the word list contains swear words), reviewed by
    /// hand; every other word must raise nothing. A new entry here needs a conscious decision.
    /// </summary>
    private static readonly string[] s_profaneDictionaryWords =
    [
        "arsehole", "arsehole's", "arseholes", "bastard", "bastard's", "bastards", "bitch", "bitches",
        "bullshit", "cunt", "cunt's", "cunts", "fuck", "fuck's", "fucked", "fucker", "fucker's", "fuckers",
        "fucking", "fucks", "motherfucker", "motherfucker's", "motherfuckers", "shit", "shit's", "shits", "shitty",
        "slut", "slut's", "sluts", "wank", "wanking", "whore", "whore's", "whores",
    ];

    [Fact]
    public void Scan_BritishWordListWithProfanityLibrary_RaisesNoHitOnAnyOrdinaryWord()
    {
        var words = File.ReadAllLines(TestSupport.RequireFile(TestSupport.BritishWords, "wbritish"));
        var matcher = PhraseMatcher.Compile(PhraseLibrary.BuiltIn("en/profanity").ThrowIfErrors());

        var flagged = Flag(matcher, words);

        words.Length.ShouldBeGreaterThan(90_000);
        flagged.Where(f => !f.WholeWordIsPhrase).Select(f => f.Description).ShouldBeEmpty();
        flagged.Select(f => f.Word).Order(StringComparer.Ordinal).ShouldBe(
            s_profaneDictionaryWords.Where(words.Contains).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Scan_BritishWordListWithAllLibraries_FlagsOnlyWordsThatAreListedPhrases()
    {
        var words = File.ReadAllLines(TestSupport.RequireFile(TestSupport.BritishWords, "wbritish"));

        var flagged = Flag(PhraseMatcher.BuiltIn, words);

        // No word is flagged because a phrase hides inside it (Scunthorpe, assassin, grape,
        // cocktail, Essex, therapist, classic): only words that are a listed phrase in full.
        flagged.Where(f => !f.WholeWordIsPhrase).Select(f => f.Description).ShouldBeEmpty();
        flagged.Count.ShouldBeLessThan(250);
    }

    private static List<Flagged> Flag(PhraseMatcher matcher, string[] words)
    {
        var flagged = new List<Flagged>();
        foreach (var word in words)
        {
            var hits = matcher.Scan(word).Hits.Where(h => h.Kind != HitKind.Exception).ToArray();
            if (hits.Length == 0)
            {
                continue;
            }

            var stem = word.EndsWith("'s", StringComparison.Ordinal) ? word[..^2] : word;
            var normalisedWord = TextNormaliser.Normalise(word).Text;
            var normalisedStem = TextNormaliser.Normalise(stem).Text;
            var whole = hits.All(h =>
                h.Start == 0 && h.Length >= stem.Length && h.Rule.Terms.Count == 1 &&
                TextNormaliser.Normalise(h.Rule.Terms[0].Text).Text is var term &&
                (term == normalisedStem || term == normalisedWord));
            flagged.Add(new Flagged(word, whole, $"{word} -> {string.Join(", ", hits.Select(h => $"{h.Category}:{h.Phrase}@'{h.MatchedText}'"))}"));
        }

        return flagged;
    }

    private sealed record Flagged(string Word, bool WholeWordIsPhrase, string Description);
}
