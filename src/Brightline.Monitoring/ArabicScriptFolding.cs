namespace Brightline.Monitoring;

/// <summary>
/// Arabic-script letter variants unified, so that Arabic and Urdu spellings (and the keyboards
/// people type them on) meet: issue 16 part 5. Called from <see cref="CharFolding"/> for each
/// character after compatibility decomposition, so presentation forms (<c>ﻙ</c>) have already
/// become their base letter and <c>أ إ آ ؤ ئ</c> have lost their hamza/madda (a combining mark).
/// </summary>
/// <remarks>
/// Unified: yeh (Arabic <c>ي</c>, Farsi/Urdu <c>ی</c>, alef maksura <c>ى</c>, yeh barree <c>ے</c>)
/// to <c>ي</c>; kaf (<c>ك</c>, keheh <c>ک</c>, swash kaf <c>ڪ</c>) to <c>ك</c>; heh (<c>ه</c>, heh goal
/// <c>ہ</c>, heh doachashmee <c>ھ</c>, ae <c>ە</c>, teh marbuta <c>ة</c>, <c>ۃ</c>) to <c>ه</c>; alef
/// wasla <c>ٱ</c> to <c>ا</c>. Tatweel (U+0640, the stretching line <c>ـ</c>) and the free-standing
/// hamza <c>ء</c> (U+0621) are dropped: many people leave the hamza off when typing (<c>شيء</c> as
/// <c>شي</c>, <c>إيذاء</c> as <c>ايذا</c>), just as they leave it off alef. Harakat
/// (short-vowel marks) are combining marks and already removed by the general folding.
/// <para>Lossy on purpose, like every folding step: phrases are folded the same way, so it can
/// only add matches. The price: Urdu's aspirated consonants (<c>بھ</c>) read as <c>به</c>, and the
/// Urdu final <c>ے</c> as <c>ي</c>, which no phrase distinction in the libraries depends on.</para>
/// </remarks>
internal static class ArabicScriptFolding
{
    /// <summary>The unified letter, <c>\0</c> for a character to drop (tatweel), or <paramref name="c"/> itself.</summary>
    public static char Unify(char c) => c switch
    {
        '\u0640' or '\u0621' => '\0',                      // tatweel, free-standing hamza
        '\u06CC' or '\u0649' or '\u06D2' or '\u06D0' => '\u064A', // yeh forms
        '\u06A9' or '\u06AA' => '\u0643',                   // kaf forms
        '\u06C1' or '\u06BE' or '\u06D5' or '\u0629' or '\u06C3' => '\u0647', // heh forms, teh marbuta
        '\u0671' => '\u0627',                               // alef wasla
        _ => c,
    };
}
