namespace Brightline.Monitoring;

/// <summary>Receives matches from <see cref="AhoCorasick.Scan{TSink}"/>. A struct sink is called without virtual dispatch.</summary>
internal interface IMatchSink
{
    /// <summary>Pattern <paramref name="patternId"/> ends just before text index <paramref name="end"/>.</summary>
    void OnMatch(int end, int patternId);
}

/// <summary>
/// Aho–Corasick automaton over UTF-16 code units, built once and then immutable (safe to share
/// between threads).
/// </summary>
/// <remarks>
/// <para>Characters are first mapped to a small alphabet: each distinct character that occurs in
/// some pattern gets a symbol 1..k; every other character is symbol 0, which no pattern contains,
/// so it always leads back to the root. Case-insensitive automata map upper-case characters to
/// the symbol of their lower-case form, so case folding costs nothing at scan time.</para>
/// <para>The trie is built with failure links in breadth-first order, and each state's outputs
/// include those of its failure chain, so a scan reports every pattern that ends at each position
/// in one left-to-right pass: O(text + matches).</para>
/// <para>When states × symbols fits the budget the transitions are materialised as a dense DFA
/// table (one array load per character, no failure-link loop); otherwise (very large or
/// many-script pattern sets) the sparse trie is kept: children in sorted arrays, a dense root
/// row, and failure links followed at scan time.</para>
/// </remarks>
internal sealed class AhoCorasick
{
    private readonly ushort[] _symbolOf;
    private readonly int _stride;
    private readonly int[]? _dense;
    private readonly int[] _edgeStart;
    private readonly ushort[] _edgeSymbol;
    private readonly int[] _edgeTarget;
    private readonly int[] _fail;
    private readonly int[] _rootNext;
    private readonly int[] _outStart;
    private readonly int[] _outIds;

    private AhoCorasick(ushort[] symbolOf, int stride, int[]? dense, int[] edgeStart, ushort[] edgeSymbol, int[] edgeTarget, int[] fail, int[] rootNext, int[] outStart, int[] outIds)
    {
        _symbolOf = symbolOf;
        _stride = stride;
        _dense = dense;
        _edgeStart = edgeStart;
        _edgeSymbol = edgeSymbol;
        _edgeTarget = edgeTarget;
        _fail = fail;
        _rootNext = rootNext;
        _outStart = outStart;
        _outIds = outIds;
    }

    /// <summary>Number of trie states.</summary>
    public int StateCount => _fail.Length;

    /// <summary>Whether the dense DFA table is in use.</summary>
    public bool IsDense => _dense is not null;

    /// <summary>Builds the automaton. Pattern ids are indexes into <paramref name="patterns"/>; empty patterns never match.</summary>
    public static AhoCorasick Build(IReadOnlyList<string> patterns, bool foldCase, long maxDenseCells = 8_000_000)
    {
        // 1. Alphabet.
        var symbolOf = new ushort[65536];
        var symbols = 1;
        foreach (var pattern in patterns)
        {
            foreach (var c in pattern)
            {
                if (symbolOf[c] == 0)
                {
                    if (symbols == ushort.MaxValue)
                    {
                        ThrowHelper.ThrowArgument("The patterns use too many distinct characters.", nameof(patterns));
                    }

                    symbolOf[c] = (ushort)symbols++;
                }
            }
        }

        if (foldCase)
        {
            for (var i = 0; i < 65536; i++)
            {
                var lower = char.ToLowerInvariant((char)i);
                if (symbolOf[i] == 0 && lower != i)
                {
                    symbolOf[i] = symbolOf[lower];
                }
            }
        }

        // 2. Trie. Children as (symbol, target) lists; the root's as a dense row.
        var children = new List<List<(ushort Symbol, int Target)>?> { null };
        var own = new List<List<int>?> { null };
        var rootNext = new int[symbols];
        for (var id = 0; id < patterns.Count; id++)
        {
            var pattern = patterns[id];
            if (pattern.Length == 0)
            {
                continue;
            }

            var state = 0;
            foreach (var c in pattern)
            {
                var symbol = symbolOf[c];
                var next = state == 0 ? rootNext[symbol] : FindBuildChild(children[state], symbol);
                if (next <= 0)
                {
                    next = children.Count;
                    children.Add(null);
                    own.Add(null);
                    if (state == 0)
                    {
                        rootNext[symbol] = next;
                    }
                    else
                    {
                        (children[state] ??= []).Add((symbol, next));
                    }
                }

                state = next;
            }

            (own[state] ??= []).Add(id);
        }

        var stateCount = children.Count;
        for (var s = 0; s < symbols; s++)
        {
            if (rootNext[s] > 0)
            {
                (children[0] ??= []).Add(((ushort)s, rootNext[s]));
            }
        }

        // 3. Failure links and merged outputs, breadth first.
        var fail = new int[stateCount];
        var order = new int[stateCount];
        var head = 0;
        var tail = 0;
        order[tail++] = 0;
        var outLists = new List<int>?[stateCount];
        while (head < tail)
        {
            var u = order[head++];
            var kids = children[u];
            if (kids is null)
            {
                continue;
            }

            foreach (var (symbol, v) in kids)
            {
                if (u != 0)
                {
                    var f = fail[u];
                    int target;
                    while (true)
                    {
                        target = f == 0 ? rootNext[symbol] : FindBuildChild(children[f], symbol);
                        if (target > 0 || f == 0)
                        {
                            break;
                        }

                        f = fail[f];
                    }

                    fail[v] = target > 0 && target != v ? target : 0;
                }

                var merged = own[v];
                var inherited = outLists[fail[v]];
                if (inherited is { Count: > 0 })
                {
                    merged = merged is null ? inherited : [.. merged, .. inherited];
                }

                outLists[v] = merged;
                order[tail++] = v;
            }
        }

        var outStart = new int[stateCount + 1];
        var outIds = new List<int>();
        for (var s = 0; s < stateCount; s++)
        {
            outStart[s] = outIds.Count;
            if (outLists[s] is { } list)
            {
                outIds.AddRange(list);
            }
        }

        outStart[stateCount] = outIds.Count;

        // 4. Sparse edges (sorted per state) — always kept; small and useful for the dense build.
        var edgeStart = new int[stateCount + 1];
        var edgeSymbol = new List<ushort>();
        var edgeTarget = new List<int>();
        for (var s = 0; s < stateCount; s++)
        {
            edgeStart[s] = edgeSymbol.Count;
            if (s != 0 && children[s] is { } kids)
            {
                kids.Sort(static (a, b) => a.Symbol.CompareTo(b.Symbol));
                foreach (var (symbol, target) in kids)
                {
                    edgeSymbol.Add(symbol);
                    edgeTarget.Add(target);
                }
            }
        }

        edgeStart[stateCount] = edgeSymbol.Count;

        // 5. Dense DFA when it fits: row(u) = row(fail(u)) overwritten by u's own children.
        int[]? dense = null;
        if ((long)stateCount * symbols <= maxDenseCells)
        {
            dense = new int[stateCount * symbols];
            Array.Copy(rootNext, dense, symbols);
            for (var i = 1; i < tail; i++)
            {
                var u = order[i];
                Array.Copy(dense, fail[u] * symbols, dense, u * symbols, symbols);
                for (var e = edgeStart[u]; e < edgeStart[u + 1]; e++)
                {
                    dense[(u * symbols) + edgeSymbol[e]] = edgeTarget[e];
                }
            }
        }

        return new AhoCorasick(symbolOf, symbols, dense, edgeStart, edgeSymbol.ToArray(), edgeTarget.ToArray(), fail, rootNext, outStart, outIds.ToArray());
    }

    /// <summary>Reports every pattern occurrence in <paramref name="text"/> to <paramref name="sink"/>, in order of end position.</summary>
    public void Scan<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IMatchSink, allows ref struct
    {
        var symbolOf = _symbolOf;
        var outStart = _outStart;
        var state = 0;
        if (_dense is { } dense)
        {
            var stride = _stride;
            for (var i = 0; i < text.Length; i++)
            {
                state = dense[(state * stride) + symbolOf[text[i]]];
                var o = outStart[state];
                var oEnd = outStart[state + 1];
                for (; o < oEnd; o++)
                {
                    sink.OnMatch(i + 1, _outIds[o]);
                }
            }

            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var symbol = symbolOf[text[i]];
            if (symbol == 0)
            {
                state = 0;
                continue;
            }

            while (true)
            {
                if (state == 0)
                {
                    state = _rootNext[symbol];
                    break;
                }

                var next = FindChild(state, symbol);
                if (next > 0)
                {
                    state = next;
                    break;
                }

                state = _fail[state];
            }

            var o = outStart[state];
            var oEnd = outStart[state + 1];
            for (; o < oEnd; o++)
            {
                sink.OnMatch(i + 1, _outIds[o]);
            }
        }
    }

    private int FindChild(int state, ushort symbol)
    {
        var lo = _edgeStart[state];
        var hi = _edgeStart[state + 1] - 1;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var s = _edgeSymbol[mid];
            if (s == symbol)
            {
                return _edgeTarget[mid];
            }

            if (s < symbol)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return 0;
    }

    private static int FindBuildChild(List<(ushort Symbol, int Target)>? kids, ushort symbol)
    {
        if (kids is null)
        {
            return 0;
        }

        foreach (var (s, t) in kids)
        {
            if (s == symbol)
            {
                return t;
            }
        }

        return 0;
    }
}
