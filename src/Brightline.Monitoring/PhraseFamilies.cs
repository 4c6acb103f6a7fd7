using System.Text;

namespace Brightline.Monitoring;

/// <summary>
/// Paraphrase families in the library format (issue 16 part 3): <c>(going to|gonna|about to) hang myself</c>
/// stands for one phrase per alternative; several groups multiply (<c>(want|need) to (die|disappear)</c>
/// is four phrases); an empty alternative makes a group optional (<c>i (really |)want to die</c>).
/// </summary>
/// <remarks>
/// Families are expanded when the library is read, into ordinary rules that share the line's
/// weight, severity and <c>file:line</c>, so the matcher, the exceptions and the reports need no
/// new concept. Expansion is capped (<see cref="MaxPhrases"/>) so that one line cannot silently
/// blow up the automaton; a line over the cap is an error, not a truncation. Groups are not
/// allowed in a combination (<c>a &amp; b</c>): each expansion would score on its own, so the
/// combination's "once per scan" rule would no longer hold.
/// </remarks>
internal static class PhraseFamilies
{
    /// <summary>Most phrases one family line may stand for.</summary>
    public const int MaxPhrases = 64;

    /// <summary>
    /// Expands <paramref name="family"/> into its phrases (in order, duplicates removed, spaces
    /// collapsed). On a syntax error returns no phrases and sets <paramref name="error"/>.
    /// </summary>
    public static IReadOnlyList<string> Expand(ReadOnlySpan<char> family, out string? error)
    {
        error = null;
        if (family.IndexOfAny('(', ')') < 0)
        {
            return [family.ToString()];
        }

        if (family.Contains('&'))
        {
            error = "Alternatives '( | )' cannot be used in a combination ('&'): write one combination per line.";
            return [];
        }

        // Parts alternate literal text and groups; each part is a list of alternatives.
        var parts = new List<string[]>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < family.Length)
        {
            var c = family[i];
            if (c == ')')
            {
                error = "A ')' has no matching '('.";
                return [];
            }

            if (c != '(')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var close = family[(i + 1)..].IndexOfAny('(', ')');
            if (close < 0 || family[i + 1 + close] == '(')
            {
                error = close < 0 ? "A '(' is not closed with ')'." : "Alternatives cannot be nested: '(' inside '( … )'.";
                return [];
            }

            var inner = family.Slice(i + 1, close);
            if (inner.Trim().IsEmpty)
            {
                error = "An empty '()' group: write alternatives as '(a|b)'.";
                return [];
            }

            parts.Add([literal.ToString()]);
            literal.Clear();
            var alternatives = new List<string>();
            foreach (var range in inner.Split('|'))
            {
                alternatives.Add(inner[range].ToString());
            }

            parts.Add([.. alternatives]);
            i += close + 2;
        }

        parts.Add([literal.ToString()]);

        long total = 1;
        foreach (var part in parts)
        {
            total *= part.Length;
            if (total > MaxPhrases)
            {
                error = $"The family stands for more than {MaxPhrases} phrases: split it over several lines.";
                return [];
            }
        }

        var phrases = new List<string>((int)total);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Span<int> choice = stackalloc int[parts.Count];
        var builder = new StringBuilder();
        for (var n = 0; n < total; n++)
        {
            builder.Clear();
            for (var p = 0; p < parts.Count; p++)
            {
                builder.Append(parts[p][choice[p]]);
            }

            // Two alternatives that read the same once normalised (أنت / انت, mum's / mums)
            // would be two rules hitting the same words twice: keep the first.
            var phrase = CollapseSpaces(builder.ToString());
            var key = (phrase.StartsWith('*') ? "*" : string.Empty) + TextNormaliser.Normalise(phrase).Text + (phrase.EndsWith('*') ? "*" : string.Empty);
            if (phrase.Length > 0 && seen.Add(key))
            {
                phrases.Add(phrase);
            }

            // Mixed-radix increment, last group fastest, so phrases come out in reading order.
            for (var p = parts.Count - 1; p >= 0; p--)
            {
                if (++choice[p] < parts[p].Length)
                {
                    break;
                }

                choice[p] = 0;
            }
        }

        if (phrases.Count == 0)
        {
            error = "The family has no non-empty phrase.";
        }

        return phrases;
    }

    private static string CollapseSpaces(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
