namespace Brightline.Policy.Validation;

/// <summary>"Did you mean" suggestions by edit distance, so a typo names its likely fix.</summary>
internal static class Suggest
{
    /// <summary>The candidate closest to <paramref name="input"/>, or null when none is close enough to help.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var normalisedInput = Normalise(input);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // camelCase, kebab-case or a capitalised spelling of the right key is the same key to a human.
            if (string.Equals(Normalise(candidate), normalisedInput, StringComparison.Ordinal))
            {
                return candidate;
            }

            var distance = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        if (best is null)
        {
            return null;
        }

        // Allow roughly one edit per three characters: "reveiw" → "review" yes, "colour" → "kind" no.
        var allowed = Math.Max(1, Math.Min(4, Math.Max(input.Length, best.Length) / 3));
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>"; did you mean 'x'?" or nothing.</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        Closest(input, candidates) is { } s ? $"; did you mean '{s}'?" : "";

    private static string Normalise(string s)
    {
        Span<char> buffer = s.Length <= 256 ? stackalloc char[s.Length] : new char[s.Length];
        var n = 0;
        foreach (var c in s)
        {
            if (c is '_' or '-' or ' ')
            {
                continue;
            }

            buffer[n++] = char.ToLowerInvariant(c);
        }

        return new string(buffer[..n]);
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions, so "reveiw" is one edit).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
