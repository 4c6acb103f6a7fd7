namespace Brightline.Monitoring;

/// <summary>
/// Exceptions kept outside a compiled matcher — a school's own library (issue 16 part 4) — applied on top of that
/// matcher's scan with the engine's exception rule: each exception hit takes up to its weight away from the positive
/// hits of its category (any category for <c>*</c>) that it overlaps, and from nothing else in the text.
/// </summary>
/// <remarks>
/// Why an overlay and not a merged library: the built-in matcher is compiled once for every school (hundreds of
/// thousands of automaton states); compiling it again per school for a handful of phrases would repeat that compilation, and hold
/// another copy in memory, per school and on every change. The overlay's exceptions are compiled on their own, so they get
/// exactly what a built-in exception gets (normalisation, i/l variants, text-speak forms, joined forms; like every
/// exception, no misspelling edits), and only their hits are resolved against the matcher's. The matcher's own
/// exceptions have already been applied by then; an overlay exception takes from what they left.
/// </remarks>
public sealed class ExceptionOverlay
{
    private readonly PhraseMatcher? _exceptions;

    private ExceptionOverlay(PhraseLibrary library, PhraseMatcher? exceptions)
    {
        Library = library;
        _exceptions = exceptions;
    }

    /// <summary>An overlay with no exceptions: <see cref="Apply"/> returns the scan unchanged.</summary>
    public static ExceptionOverlay Empty { get; } = new(PhraseLibrary.Empty, null);

    /// <summary>The exceptions this overlay applies.</summary>
    public PhraseLibrary Library { get; }

    /// <summary>Whether the overlay has no exceptions.</summary>
    public bool IsEmpty => _exceptions is null;

    /// <summary>
    /// Compiles <paramref name="exceptions"/>, every rule of which must be an exception (a single phrase with a negative
    /// weight): an overlay may only lower scores, never raise them.
    /// </summary>
    public static ExceptionOverlay Compile(PhraseLibrary exceptions)
    {
        ArgumentNullException.ThrowIfNull(exceptions);
        if (exceptions.Rules.FirstOrDefault(r => !r.IsException || r.IsCombination) is { } wrong)
        {
            ThrowHelper.ThrowArgument($"An exception overlay holds exceptions only; '{wrong.Phrase}' ({wrong.Source}) is not one.", nameof(exceptions));
        }

        return exceptions.Rules.Count == 0 ? Empty : new ExceptionOverlay(exceptions, PhraseMatcher.Compile(exceptions));
    }

    /// <summary>Scans <paramref name="text"/> with <paramref name="matcher"/> and applies this overlay to the result.</summary>
    public ScanResult Scan(PhraseMatcher matcher, string text)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        return Apply(matcher.Scan(text), text);
    }

    /// <summary>
    /// Applies this overlay to <paramref name="scanned"/>, the result of scanning <paramref name="text"/>: the overlay's
    /// exception hits are added, the positive hits they overlap lose up to their weight, and the scores are summed again.
    /// </summary>
    public ScanResult Apply(ScanResult scanned, string text)
    {
        ArgumentNullException.ThrowIfNull(scanned);
        ArgumentNullException.ThrowIfNull(text);
        if (_exceptions is null || !scanned.Hits.Any(h => h.Kind != HitKind.Exception && h.EffectiveWeight > 0))
        {
            return scanned;
        }

        var found = _exceptions.Scan(text).Hits.Where(h => h.Kind == HitKind.Exception).ToList();
        if (found.Count == 0)
        {
            return scanned;
        }

        var hits = scanned.Hits.ToList();
        foreach (var exception in found)
        {
            var any = string.Equals(exception.Category, MonitoringCategories.AnyCategory, StringComparison.Ordinal);
            var budget = -exception.Weight;
            var taken = 0;
            for (var h = 0; h < hits.Count && budget > 0; h++)
            {
                var hit = hits[h];
                if (hit.Kind == HitKind.Exception || hit.EffectiveWeight <= 0 || hit.Start >= exception.End || exception.Start >= hit.End
                    || (!any && !string.Equals(hit.Category, exception.Category, StringComparison.Ordinal)))
                {
                    continue;
                }

                var take = Math.Min(budget, hit.EffectiveWeight);
                hits[h] = hit with { EffectiveWeight = hit.EffectiveWeight - take };
                budget -= take;
                taken += take;
            }

            hits.Add(exception with { EffectiveWeight = -taken });
        }

        hits.Sort(static (a, b) =>
        {
            var c = a.Start.CompareTo(b.Start);
            return c != 0 ? c : a.End.CompareTo(b.End);
        });
        return new ScanResult(hits, PhraseMatcher.ScoresOf(hits));
    }
}
