namespace Brightline.Monitoring;

/// <summary>
/// Turns text into the form phrases are matched against, defeating the usual evasions, and keeps a
/// map from every normalised character back to the original text.
/// </summary>
/// <remarks>
/// <para>The steps, in order (docs/monitoring-engine.md explains the trade-offs):</para>
/// <list type="number">
/// <item>Fold each code point (<see cref="CharFolding"/>): NFKD, accents and other combining marks
/// removed, lower case, look-alike letters from other scripts to Latin, small capitals and emoji
/// letters to Latin; zero-width and format characters and Hangul fillers dropped. Punctuation,
/// whitespace and other emoji become separators.</item>
/// <item>Spacing stars: a <c>*</c> with a single character each side (<c>n*o*b*o*d*y</c>) separates;
/// other stars stay for masks.</item>
/// <item>Spaced letters: a run of at least three one-character tokens (at least two of them
/// letters) with one to three separator characters between each (<c>k i l l</c>, <c>k.i.l.l</c>,
/// <c>k - i - l - l</c>) is joined into one word. Ordinary prose almost never has three
/// one-letter words in a row, so real words are not glued together. The word boundaries the
/// writer destroyed are unknown, so every position inside a joined run counts as a possible
/// word boundary ("soft" boundary). A line break is a hard boundary: runs never cross it.</item>
/// <item>Leetspeak, per token: only in a token that has at least one letter (so <c>5 apples</c>
/// and <c>2024</c> stay digits) — digits <c>0 1 3 4 5 6 7 8 9</c> and <c>$ @ €</c> read as
/// letters anywhere, <c>! | + (</c> only between two word characters (so <c>kill!</c> stays
/// <c>kill</c>), plus edge symbols, unclosed brackets, letterless leet words next to a leet word and masks
/// (<see cref="NormaliserWorkspace"/>'s ApplyLeet). <c>1</c> and <c>|</c> become
/// <see cref="CharFolding.AmbiguousIL"/>, which phrases match through compiled variants.</item>
/// <item>An apostrophe before a word-final <c>s</c> or <c>t</c> is removed (<c>don't</c> → <c>dont</c>,
/// <c>it's</c> → <c>its</c>); other apostrophes separate (<c>who're</c> → <c>who re</c>, never <c>whore</c>).</item>
/// <item>Every run of separators becomes one space; leading and trailing separators go.</item>
/// <item>Collapse: a run of the same character becomes one character with a run length
/// (<c>kiiiill</c> → <c>kil</c> with runs 1,4,2). Phrases are collapsed the same way and a
/// match is accepted only where each text run equals the phrase's run or is a clear stretch of
/// three or more, so <c>kiiiill</c> matches <c>kill</c> but <c>as</c> does not match
/// <c>ass</c> and <c>looser</c> does not match <c>loser</c>.</item>
/// </list>
/// </remarks>
public static class TextNormaliser
{
    [ThreadStatic]
    private static NormaliserWorkspace? t_workspace;

    /// <summary>Normalises <paramref name="text"/> and returns the forms and the offset maps.</summary>
    public static NormalisedText Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ws = new NormaliserWorkspace();
        ws.Run(text, keepUncollapsed: true);
        return new NormalisedText(text, ws);
    }

    /// <summary>A per-thread workspace, reused between scans so steady-state scanning does not allocate buffers.</summary>
    internal static NormaliserWorkspace RentWorkspace() => t_workspace ??= new NormaliserWorkspace();
}

/// <summary>
/// The buffers of one normalisation. Stage 1 produces one "unit" per folded character (with its
/// original span); stage 2 decides spaced runs and leetspeak per token; stage 3 emits the
/// collapsed form (and, on request, the uncollapsed form) with offset maps.
/// </summary>
internal sealed class NormaliserWorkspace
{
    private const byte FlagRemoved = 1;
    private const byte FlagSoft = 2;
    private const int MaxSpacedGap = 3;

    // Stage 1 units.
    private char[] _uChar = new char[256];
    private int[] _uStart = new int[256];
    private int[] _uEnd = new int[256];
    private CharKind[] _uKind = new CharKind[256];
    private byte[] _uFlag = new byte[256];
    private int _uCount;
    private int _nextCloseOrBreak;
    private bool _lineHasIL;
    private bool _lineHasBang;

    /// <summary>A <c>!</c> read as a letter, until its line decides between i and i-or-l (private use: no text folds to it).</summary>
    private const char BangI = '\uE003';

    // Collapsed output.
    public char[] Chars = new char[256];
    public int[] Start = new int[256];
    public int[] End = new int[256];
    public byte[] Runs = new byte[256];
    public bool[] Soft = new bool[256];
    public int Length;

    private char[] _maskScratch = new char[64];

    /// <summary>A reusable buffer of at least <paramref name="length"/> characters for the matcher's mask pass.</summary>
    public char[] RentMaskScratch(int length)
    {
        if (_maskScratch.Length < length)
        {
            _maskScratch = new char[Math.Max(length, _maskScratch.Length * 2)];
        }

        return _maskScratch;
    }

    /// <summary>How many masked letters (<see cref="CharFolding.Mask"/>) the text has: the matcher's mask pass runs only when it is not 0.</summary>
    public int MaskCount;

    // Uncollapsed output (only for NormalisedText).
    public char[] FullChars = [];
    public int[] FullStart = [];
    public int[] FullEnd = [];
    public int FullLength;

    public void Run(ReadOnlySpan<char> text, bool keepUncollapsed)
    {
        Fold(text);
        SeparateSpacingStars();
        JoinSpacedLetters();
        ApplyLeet();
        Emit(keepUncollapsed);
    }

    private void Fold(ReadOnlySpan<char> text)
    {
        _uCount = 0;
        EnsureUnits(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 128)
            {
                // ASCII fast path: the common case for English text.
                if (c is >= 'a' and <= 'z')
                {
                    AddUnit(c, i, i + 1, CharKind.Letter);
                    continue;
                }

                if (c is >= 'A' and <= 'Z')
                {
                    AddUnit((char)(c | 0x20), i, i + 1, CharKind.Letter);
                    continue;
                }
            }

            CharKind kind;
            char single;
            string? multi;
            var width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kind = CharFolding.FoldSupplementary(char.ConvertToUtf32(c, text[i + 1]), out var folded);
                width = 2;
                single = folded.Length == 1 ? folded[0] : '\0';
                multi = folded.Length > 1 ? folded : null;
            }
            else
            {
                kind = CharFolding.Fold(c, out single, out multi);
            }

            switch (kind)
            {
                case CharKind.Drop:
                    // Invisible: belongs to the previous character's span (a combining accent, or
                    // a zero-width character inside a word), so spans never cut through it.
                    if (_uCount > 0 && _uKind[_uCount - 1] != CharKind.Separator)
                    {
                        _uEnd[_uCount - 1] = i + width;
                    }

                    break;
                case CharKind.Separator:
                    // Keep the character: spaced-letter detection compares separator styles.
                    AddUnit(width == 1 ? c : ' ', i, i + width, CharKind.Separator);
                    break;
                case CharKind.Letter:
                case CharKind.Digit:
                case CharKind.Symbol:
                default:
                    if (multi is null)
                    {
                        AddUnit(single == '\0' ? ' ' : single, i, i + width, single == '\0' ? CharKind.Separator : kind);
                    }
                    else
                    {
                        EnsureUnits(_uCount + multi.Length + 1);
                        foreach (var m in multi)
                        {
                            AddUnit(m, i, i + width, kind);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// A <c>*</c> is a mask inside a word (<c>f*ck</c>) but a separator when it spaces letters out
    /// (<c>n*o*b*o*d*y</c>, <c>m*e</c>: a single character each side), so spaced-letter joining still sees
    /// single letters there. Stars that stay are decided in <see cref="ApplyLeet"/>.
    /// </summary>
    private void SeparateSpacingStars()
    {
        for (var u = 0; u < _uCount; u++)
        {
            if (_uKind[u] != CharKind.Symbol || _uChar[u] != '*')
            {
                continue;
            }

            // Spacing when the characters either side are single (bounded by an edge, a separator
            // or another star): "n*o*b", "m*e". A word around it ("f*ck", "s*icide") masks.
            var singleBefore = u >= 1 && !IsStar(u - 1) && (u == 1 || IsBound(u - 2));
            var singleAfter = u + 1 < _uCount && !IsStar(u + 1) && (u + 2 == _uCount || IsBound(u + 2));
            if (singleBefore && singleAfter)
            {
                _uKind[u] = CharKind.Separator;
            }
        }

        bool IsStar(int unit) => _uChar[unit] == '*' && _uKind[unit] is CharKind.Symbol or CharKind.Separator;
        bool IsBound(int unit) => _uKind[unit] == CharKind.Separator || IsStar(unit);
    }

    /// <summary>
    /// Finds runs of one-character tokens (<c>k i l l</c>, <c>k.i.l.l</c>) and joins them: the
    /// separators between them are marked removed and every character after the first is marked
    /// as a soft word boundary. One pass over the units; a candidate run is tracked with four ints.
    /// </summary>
    private void JoinSpacedLetters()
    {
        // A run starts on a letter, or on a leet character a spaced letter follows. A leet digit or symbol joins when a spaced letter follows it
        // ("$ e c r e t") or when set no further apart than the run's letters ("m 3" at the end): a number
        // after spaced letters, set apart differently, stays a number ("n u d e s  5 times").
        var runFirst = -1;      // first unit of the candidate run
        var runLast = -1;       // last single-character unit of the run
        var minGap = int.MaxValue;
        var runTokens = 0;
        var runLetters = 0;
        var lineBreak = false;
        var i = 0;
        while (i < _uCount)
        {
            if (_uKind[i] == CharKind.Separator)
            {
                lineBreak |= CharFolding.IsLineBreak(_uChar[i]);
                i++;
                continue;
            }

            if (lineBreak)
            {
                // A line break is a hard boundary (issue 16): a run never continues onto the next
                // line, so scanning a multi-line text finds what scanning each line finds.
                CloseRun(runFirst, runLast, runTokens, runLetters);
                runTokens = 0;
                runLetters = 0;
                minGap = int.MaxValue;
                lineBreak = false;
            }

            var tokenStart = i;
            while (i < _uCount && _uKind[i] != CharKind.Separator)
            {
                i++;
            }

            var single = i - tokenStart == 1 && IsSpellable(tokenStart);
            var isLetter = single && _uKind[tokenStart] == CharKind.Letter;
            var gap = tokenStart - runLast - 1;
            if (single && runTokens > 0 && gap <= MaxSpacedGap && (isLetter || gap <= minGap || SpacedLetterFollows(i)))
            {
                runLast = tokenStart;
                minGap = Math.Min(minGap, gap);
                runTokens++;
                runLetters += isLetter ? 1 : 0;
                continue;
            }

            CloseRun(runFirst, runLast, runTokens, runLetters);
            runTokens = 0;
            runLetters = 0;
            minGap = int.MaxValue;
            if (isLetter || (single && SpacedLetterFollows(i)))
            {
                runFirst = runLast = tokenStart;
                runTokens = 1;
                runLetters = isLetter ? 1 : 0;
            }
        }

        CloseRun(runFirst, runLast, runTokens, runLetters);
    }

    /// <summary>
    /// Whether, after the token ending at <paramref name="unit"/>, a spaced single letter follows
    /// (past at most two more spaced leet characters), with the same separator character in every
    /// gap up to and after that letter: "5.e.n.d" and "$ e c r e t" qualify, "5 s_e_n_d" does not.
    /// </summary>
    private bool SpacedLetterFollows(int unit)
    {
        var separator = unit < _uCount ? _uChar[unit] : ' ';
        if (CharFolding.IsLineBreak(separator))
        {
            return false;
        }

        for (var hop = 0; hop < 3; hop++)
        {
            var gap = 0;
            while (unit < _uCount && _uKind[unit] == CharKind.Separator)
            {
                if (_uChar[unit] != separator)
                {
                    return false;
                }

                unit++;
                gap++;
            }

            var single = unit < _uCount && (unit + 1 == _uCount || _uKind[unit + 1] == CharKind.Separator);
            if (gap is 0 or > MaxSpacedGap || !single || !IsSpellable(unit))
            {
                return false;
            }

            if (_uKind[unit] == CharKind.Letter)
            {
                return unit + 1 == _uCount || _uChar[unit + 1] == separator;
            }

            unit++;
        }

        return false;
    }

    private bool IsSpellable(int unit) => _uKind[unit] switch
    {
        CharKind.Letter => true,
        // A bracket never spells a letter on its own: "( a )" is punctuation.
        CharKind.Digit or CharKind.Symbol => _uChar[unit] != '(' && CharFolding.LeetLetter(_uChar[unit]) != '\0',
        CharKind.Separator or CharKind.Drop => false,
        _ => false,
    };

    private void CloseRun(int first, int last, int tokens, int letters)
    {
        if (tokens < 3 || letters < 2)
        {
            return;
        }

        for (var u = first; u <= last; u++)
        {
            if (_uKind[u] == CharKind.Separator)
            {
                _uFlag[u] |= FlagRemoved;
            }
            else if (u != first)
            {
                _uFlag[u] |= FlagSoft;
            }
        }
    }

    /// <summary>
    /// Reads digits and symbols as letters inside tokens that contain a letter. A token here is a
    /// maximal run of units that are not (unremoved) separators, so a joined spaced run is one token.
    /// </summary>
    /// <remarks>
    /// Beyond the per-token rule (issue 16):
    /// <list type="bullet">
    /// <item>Letterless leet tokens: a token made only of leet digits and symbols (<c>70</c>,
    /// <c>1</c>, <c>@</c>, <c>!$</c>, <c>$011</c>) reads as letters when the token before or after it
    /// on the same line is a leet word (a word that already read a digit or symbol as a letter):
    /// <c>1 w4n7 70 d13</c> is "i want to die" and <c>h0w 70 m@k€ @ 80m8</c> has its "a", while
    /// <c>420 pupils</c>, <c>write 14 words</c> and <c>£5 @ 3pm</c> stay as they are. One token of
    /// memory: a converted token counts as a leet word for the next token, and a leet word converts
    /// the token just before it. A token of three or more that mixes digits with a symbol after its
    /// first character (<c>83+</c>, <c>8!9</c>, <c>|05+</c>) reads as letters on its own: heavy leet
    /// (every letter replaced) leaves words with no letter at all, while money and phone numbers
    /// put their symbol first (<c>$100</c>, <c>+44</c>).</item>
    /// <item>Edge symbols: <c>+</c> reads as <c>t</c> at either end of a word with at least two
    /// letters (<c>+h3</c>, <c>cun+</c>; <c>A+</c> and <c>C++</c> stay), <c>!</c>/<c>|</c> read
    /// as a letter as the first character of a word (<c>!diot</c>, <c>!n</c>) and <c>|</c> as the
    /// last (<c>soi|</c>); <c>kill!</c> stays "kill".</item>
    /// <item>Brackets: <c>(</c> reads as <c>c</c> inside or at either end of a word only when no
    /// <c>)</c> closes it later on the line (<c>5u(h</c>, <c>(ut</c>); <c>friend(s)</c> and
    /// <c>(see above)</c> stay punctuation.</item>
    /// <item><c>!</c> and the i/l ambiguity: <c>!</c> is an i, but heavy leet mixes it with
    /// <c>1</c>/<c>|</c> (<c>w!1|</c>), which read as <see cref="CharFolding.AmbiguousIL"/>, and the
    /// phrase variants assume one consistent style (<see cref="PhraseVariants.AmbiguousVariants"/>).
    /// So on a line that has an i-or-l symbol, <c>!</c> reads as that symbol too; elsewhere as
    /// <c>i</c>. Decided at the end of each line (a placeholder until then).</item>
    /// <item>Masks: <c>*</c> between letters of a word becomes <see cref="CharFolding.Mask"/>
    /// (<c>f*ck</c>); the matcher completes it. Anywhere else <c>*</c> separates.</item>
    /// </list>
    /// </remarks>
    private void ApplyLeet()
    {
        MaskCount = 0;
        _nextCloseOrBreak = -1;
        var prevStart = -1;         // previous token on this line
        var prevEnd = -1;
        var prevPending = false;    // ... is letterless leet, still unread
        var prevLeet = false;       // ... read a digit or symbol as a letter
        var lineStart = 0;
        _lineHasIL = false;
        _lineHasBang = false;
        var i = 0;
        while (i < _uCount)
        {
            if (IsLiveSeparator(i))
            {
                if (CharFolding.IsLineBreak(_uChar[i]))
                {
                    EndLine(lineStart, i, prevPending ? prevStart : -1, prevEnd);
                    prevStart = -1;
                    prevPending = false;
                    lineStart = i + 1;
                }

                i++;
                continue;
            }

            var start = i;
            var firstWord = -1;
            var lastWord = -1;
            var hasLetter = false;
            var hasDigit = false;
            var symbolAfterFirst = false;
            var wordUnits = 0;
            var allLeet = true;
            while (i < _uCount && !IsLiveSeparator(i))
            {
                if ((_uFlag[i] & FlagRemoved) == 0)
                {
                    var kind = _uKind[i];
                    allLeet &= kind is CharKind.Digit or CharKind.Symbol && CharFolding.LeetLetter(_uChar[i]) != '\0';
                    hasDigit |= kind == CharKind.Digit;
                    symbolAfterFirst |= kind == CharKind.Symbol && i > start;
                    if (kind is CharKind.Letter or CharKind.Digit)
                    {
                        hasLetter |= kind == CharKind.Letter;
                        firstWord = firstWord < 0 ? i : firstWord;
                        lastWord = i;
                        wordUnits++;
                    }
                    else if (kind == CharKind.Symbol && !CharFolding.IsInteriorOnlySymbol(_uChar[i]))
                    {
                        firstWord = firstWord < 0 ? i : firstWord;
                        lastWord = i;
                        wordUnits++;
                    }
                }

                i++;
            }

            var readLeet = false;
            var pending = !hasLetter && allLeet;
            if (pending)
            {
                // Letterless leet: closed brackets are punctuation whatever happens next (decided
                // now, in text order, for ClosedOnLine's cache).
                for (var u = start; u < i; u++)
                {
                    if (_uChar[u] == '(' && _uKind[u] == CharKind.Symbol && ClosedOnLine(u))
                    {
                        _uChar[u] = ' ';
                        _uKind[u] = CharKind.Separator;
                    }
                }

                if ((i - start >= 3 && hasDigit && symbolAfterFirst) || (prevStart >= 0 && prevLeet))
                {
                    ReadLeetToken(start, i);
                    pending = false;
                    readLeet = true;
                }
            }
            else
            {
                readLeet = ReadLeetWord(start, i, firstWord, lastWord, hasLetter, wordUnits);
            }

            if (prevPending)
            {
                if (readLeet)
                {
                    ReadLeetToken(prevStart, prevEnd);
                }
                else
                {
                    KeepNumber(prevStart, prevEnd);
                }
            }

            prevStart = start;
            prevEnd = i;
            prevPending = pending;
            prevLeet = readLeet;
        }

        EndLine(lineStart, _uCount, prevPending ? prevStart : -1, prevEnd);
    }

    /// <summary>The per-token rule for a token with a letter (or with a unit that is no leet character): whether it read any digit or symbol as a letter.</summary>
    private bool ReadLeetWord(int start, int end, int firstWord, int lastWord, bool hasLetter, int wordUnits)
    {
        var readLeet = false;
        var pipesTail = lastWord >= 0 && lastWord < end - 1 && OnlyPipesAfter(lastWord, end);
        for (var u = start; u < end; u++)
        {
            if ((_uFlag[u] & FlagRemoved) != 0)
            {
                continue;
            }

            var kind = _uKind[u];
            if (kind == CharKind.Digit && hasLetter)
            {
                var letter = CharFolding.LeetLetter(_uChar[u]);
                if (letter != '\0')
                {
                    SetLetter(u, letter);
                    readLeet = true;
                }
            }
            else if (kind == CharKind.Symbol && _uChar[u] == '\'')
            {
                // An apostrophe before a final "s" or "t" joins the word ("it's" → "its",
                // "don't" → "dont", "d0n'+"), so its "s" never starts a spaced-letter run. Other
                // contractions stay apart: "who're" must not read as "whore".
                var next = u + 1 < end ? _uChar[u + 1] : '\0';
                var joins = u > firstWord && u + 2 == end && (next is 's' or 't' || CharFolding.LeetLetter(next) is 's' or 't');
                _uFlag[u] |= joins ? FlagRemoved : (byte)0;
                _uKind[u] = joins ? CharKind.Symbol : CharKind.Separator;
                _uChar[u] = joins ? '\'' : ' ';
            }
            else if (kind == CharKind.Symbol && _uChar[u] == '*')
            {
                var masks = hasLetter && u > firstWord && u < lastWord;
                MaskCount += masks ? 1 : 0;
                _uChar[u] = masks ? CharFolding.Mask : ' ';
                _uKind[u] = masks ? CharKind.Letter : CharKind.Separator;
            }
            else if (kind == CharKind.Symbol)
            {
                var c = _uChar[u];
                var letter = CharFolding.LeetLetter(c);
                var interior = u > firstWord && u < lastWord;
                var first = u == start && u + 1 < end && u + 1 == firstWord;
                var last = u == end - 1 && u - 1 == lastWord;
                var edge = (wordUnits >= 2 && (c == '+' || (first && c is '|' or '(') || (last && c == '(') || (c == '|' && u > lastWord && pipesTail)))
                    || (wordUnits >= 1 && first && c == '!');
                var reads = hasLetter && letter != '\0' && (!CharFolding.IsInteriorOnlySymbol(c) || interior || edge)
                    && (c != '(' || !ClosedOnLine(u));
                if (reads)
                {
                    SetLetter(u, c == '!' ? BangI : letter);
                    if (!interior && c is '(' or '|' or '!')
                    {
                        // The symbol may be punctuation after all ("(porn", "kill|"): the word it
                        // touches keeps its boundary there, as a soft one.
                        _uFlag[u < firstWord ? firstWord : u] |= FlagSoft;
                    }
                }
                else
                {
                    _uChar[u] = ' ';
                    _uKind[u] = CharKind.Separator;
                }

                readLeet |= reads;
            }
        }

        return readLeet;
    }

    /// <summary>Whether every unit after <paramref name="lastWord"/> to the token's end is <c>|</c> (<c>soi|</c>, <c>574||</c>: l at a word's end).</summary>
    private bool OnlyPipesAfter(int lastWord, int end)
    {
        for (var k = lastWord + 1; k < end; k++)
        {
            if (_uChar[k] != '|')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads every digit and symbol of a letterless leet token as its letter (<c>70</c> → "to", <c>!$</c> → "is").</summary>
    private void ReadLeetToken(int start, int end)
    {
        for (var u = start; u < end; u++)
        {
            if ((_uFlag[u] & FlagRemoved) == 0 && _uKind[u] is CharKind.Digit or CharKind.Symbol)
            {
                var c = _uChar[u];
                SetLetter(u, c == '!' ? BangI : CharFolding.LeetLetter(c));
            }
        }
    }

    /// <summary>A letterless token that stays a number: its digits stay, its symbols separate (<c>$5</c> → "5").</summary>
    private void KeepNumber(int start, int end)
    {
        for (var u = start; u < end; u++)
        {
            if ((_uFlag[u] & FlagRemoved) == 0 && _uKind[u] == CharKind.Symbol)
            {
                _uChar[u] = ' ';
                _uKind[u] = CharKind.Separator;
            }
        }
    }

    private void SetLetter(int unit, char letter)
    {
        _uChar[unit] = letter;
        _uKind[unit] = CharKind.Letter;
        _lineHasIL |= letter == CharFolding.AmbiguousIL;
        _lineHasBang |= letter == BangI;
    }

    /// <summary>Ends a line: a letterless token still pending stays a number, and each <c>!</c> read as a letter becomes i-or-l when the line has an i-or-l symbol, else <c>i</c>.</summary>
    private void EndLine(int lineStart, int lineEnd, int pendingStart, int pendingEnd)
    {
        if (pendingStart >= 0)
        {
            KeepNumber(pendingStart, pendingEnd);
        }

        if (_lineHasBang)
        {
            var letter = _lineHasIL ? CharFolding.AmbiguousIL : 'i';
            for (var u = lineStart; u < lineEnd; u++)
            {
                if (_uChar[u] == BangI && _uKind[u] == CharKind.Letter)
                {
                    _uChar[u] = letter;
                }
            }
        }

        _lineHasIL = false;
        _lineHasBang = false;
    }

    /// <summary>
    /// Whether a <c>)</c> closes the bracket at <paramref name="unit"/> later on its line. A closed
    /// bracket is punctuation (<c>(see above)</c>, <c>friend(s)</c>); an unclosed one inside or at
    /// the start of a word is heavy leet for <c>c</c> (<c>5u(h</c>, <c>(ut</c>). The next <c>)</c>
    /// or line break is cached, so the searches never overlap: linear over the text.
    /// </summary>
    private bool ClosedOnLine(int unit)
    {
        if (_nextCloseOrBreak <= unit)
        {
            var k = unit + 1;
            while (k < _uCount && !(_uKind[k] == CharKind.Separator && (_uChar[k] == ')' || CharFolding.IsLineBreak(_uChar[k]))))
            {
                k++;
            }

            _nextCloseOrBreak = k;
        }

        return _nextCloseOrBreak < _uCount && _uChar[_nextCloseOrBreak] == ')';
    }

    private bool IsLiveSeparator(int u) => _uKind[u] == CharKind.Separator && (_uFlag[u] & FlagRemoved) == 0;

    private void Emit(bool keepUncollapsed)
    {
        EnsureOutput(_uCount + 1, keepUncollapsed);
        var n = 0;
        var full = 0;
        for (var u = 0; u < _uCount; u++)
        {
            var flag = _uFlag[u];
            if ((flag & FlagRemoved) != 0)
            {
                continue;
            }

            var c = _uKind[u] == CharKind.Separator ? ' ' : _uChar[u];
            if (c == ' ' && (n == 0 || Chars[n - 1] == ' '))
            {
                // Leading separators vanish; later ones merge into the space already emitted.
                if (n > 0)
                {
                    End[n - 1] = _uEnd[u];
                    if (keepUncollapsed)
                    {
                        FullEnd[full - 1] = _uEnd[u];
                    }
                }

                continue;
            }

            if (keepUncollapsed)
            {
                FullChars[full] = c;
                FullStart[full] = _uStart[u];
                FullEnd[full] = _uEnd[u];
                full++;
            }

            // A mask stands for one letter each, so "f**k" keeps two masks rather than one run of two.
            if (n > 0 && Chars[n - 1] == c && c != CharFolding.Mask)
            {
                End[n - 1] = _uEnd[u];
                if (Runs[n - 1] < byte.MaxValue)
                {
                    Runs[n - 1]++;
                }

                continue;
            }

            Chars[n] = c;
            Start[n] = _uStart[u];
            End[n] = _uEnd[u];
            Runs[n] = 1;
            Soft[n] = (flag & FlagSoft) != 0;
            n++;
        }

        if (n > 0 && Chars[n - 1] == ' ')
        {
            n--;
        }

        if (full > 0 && FullChars[full - 1] == ' ')
        {
            full--;
        }

        Length = n;
        FullLength = full;
    }

    private void AddUnit(char c, int start, int end, CharKind kind)
    {
        if (_uCount == _uChar.Length)
        {
            EnsureUnits(_uCount * 2);
        }

        _uChar[_uCount] = c;
        _uStart[_uCount] = start;
        _uEnd[_uCount] = end;
        _uKind[_uCount] = kind;
        _uFlag[_uCount] = 0;
        _uCount++;
    }

    private void EnsureUnits(int size)
    {
        if (_uChar.Length >= size)
        {
            return;
        }

        var newSize = Math.Max(size, _uChar.Length * 2);
        Array.Resize(ref _uChar, newSize);
        Array.Resize(ref _uStart, newSize);
        Array.Resize(ref _uEnd, newSize);
        Array.Resize(ref _uKind, newSize);
        Array.Resize(ref _uFlag, newSize);
    }

    private void EnsureOutput(int size, bool keepUncollapsed)
    {
        if (Chars.Length < size)
        {
            Chars = new char[size];
            Start = new int[size];
            End = new int[size];
            Runs = new byte[size];
            Soft = new bool[size];
        }

        if (keepUncollapsed && FullChars.Length < size)
        {
            FullChars = new char[size];
            FullStart = new int[size];
            FullEnd = new int[size];
        }
    }
}
