namespace Brightline.Portal;

/// <summary>
/// Recovery codes as people type them. Identity stores and compares them exactly as it made them: ten
/// upper-case letters and digits with a hyphen in the middle ("7KQ2M-XW9PD"). The sign-in page used to strip
/// the hyphen, so no code ever matched and every try counted towards the lockout (issue 10, item 5). A code
/// typed with or without the hyphen, in any case, with spaces, now reaches Identity in its stored form.
/// </summary>
public static class RecoveryCodes
{
    public static string Normalise(string typed)
    {
        var compact = string.Concat(typed.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();
        return compact.Length == 10 ? string.Concat(compact.AsSpan(0, 5), "-", compact.AsSpan(5)) : typed.Trim();
    }
}
