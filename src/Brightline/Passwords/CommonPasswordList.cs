using System.Collections.Frozen;
using System.Reflection;

namespace Brightline.Passwords;

/// <summary>
/// The shipped list of common passwords (49,000 entries from zxcvbn-ts, MIT; see CommonPasswords/README.md), loaded
/// once from the assembly and compared case-insensitively. A password is common when it, or it with its spaces
/// removed, or it with its trailing digits and symbols removed ("Summer2024!" → "summer"), is on the list.
/// </summary>
public static class CommonPasswordList
{
    public const string ResourceName = "Brightline.Passwords.common-passwords.txt";

    private static readonly Lazy<FrozenSet<string>> s_words = new(Load);

    public static int Count => s_words.Value.Count;

    public static bool IsCommon(string password)
    {
        var words = s_words.Value;
        foreach (var candidate in Candidates(password))
        {
            if (candidate.Length > 0 && words.Contains(candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The forms of a password compared with the list and with names: lower case, without spaces, without a trailing "2024!".</summary>
    internal static IEnumerable<string> Candidates(string password)
    {
        var lower = password.Trim().ToLowerInvariant();
        yield return lower;
        var compact = lower.Replace(" ", "", StringComparison.Ordinal);
        yield return compact;
        var stem = compact.TrimEnd("0123456789!\"£$%^&*()-_=+[]{};:'@#~,.<>/?\\|`¬".ToCharArray());
        yield return stem;
        // "!Summer" / "123summer": the same at the front.
        yield return stem.TrimStart("0123456789!\"£$%^&*()-_=+[]{};:'@#~,.<>/?\\|`¬".ToCharArray());
    }

    private static FrozenSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The common-password list ({ResourceName}) is missing from the build.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim().ToLowerInvariant();
            if (word.Length > 0)
            {
                words.Add(word);
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
