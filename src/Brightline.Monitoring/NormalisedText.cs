namespace Brightline.Monitoring;

/// <summary>
/// The result of <see cref="TextNormaliser.Normalise"/>: the normalised forms of a text and maps
/// from each normalised character back to the span of the original text it came from.
/// </summary>
public sealed class NormalisedText
{
    private readonly int[] _start;
    private readonly int[] _end;
    private readonly int[] _collapsedStart;
    private readonly int[] _collapsedEnd;
    private readonly byte[] _runs;

    internal NormalisedText(string original, NormaliserWorkspace ws)
    {
        Original = original;
        Text = new string(ws.FullChars, 0, ws.FullLength);
        _start = ws.FullStart[..ws.FullLength];
        _end = ws.FullEnd[..ws.FullLength];
        Collapsed = new string(ws.Chars, 0, ws.Length);
        _collapsedStart = ws.Start[..ws.Length];
        _collapsedEnd = ws.End[..ws.Length];
        _runs = ws.Runs[..ws.Length];
    }

    /// <summary>The original text.</summary>
    public string Original { get; }

    /// <summary>
    /// Folded, de-leeted, spaced letters joined, separators reduced to single spaces; repeated
    /// letters kept (<c>K.i.i.i.l.l</c> → <c>kiiill</c>). <c>1</c> and <c>|</c> in words appear as
    /// U+E001 (i-or-l).
    /// </summary>
    public string Text { get; }

    /// <summary><see cref="Text"/> with each run of one character reduced to one (<c>kiiill</c> → <c>kil</c>): the form the matcher scans.</summary>
    public string Collapsed { get; }

    /// <summary>How many times each character of <see cref="Collapsed"/> was repeated (capped at 255).</summary>
    public ReadOnlySpan<byte> RunLengths => _runs;

    /// <summary>The original span (start, length) of <paramref name="length"/> characters of <see cref="Text"/> from <paramref name="index"/>.</summary>
    public (int Start, int Length) OriginalSpan(int index, int length) => Map(_start, _end, index, length);

    /// <summary>The original span (start, length) of <paramref name="length"/> characters of <see cref="Collapsed"/> from <paramref name="index"/>.</summary>
    public (int Start, int Length) CollapsedOriginalSpan(int index, int length) => Map(_collapsedStart, _collapsedEnd, index, length);

    private static (int Start, int Length) Map(int[] start, int[] end, int index, int length)
    {
        if ((uint)index > (uint)start.Length || length < 1 || index + length > start.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index));
        }

        var s = start[index];
        return (s, end[index + length - 1] - s);
    }
}
