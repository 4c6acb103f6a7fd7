using System.Collections.Concurrent;
using System.Text;

namespace Brightline.Policy;

/// <summary>
/// The policy file spells enum members in snake_case (<c>academic_year</c>, <c>sign_in</c>,
/// <c>job_title</c>); these helpers convert both ways so portal pages and messages can show the
/// same words the file uses.
/// </summary>
public static class PolicyNames
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, object>> _byName = new();

    /// <summary>
    /// The file's spelling of an enum member, e.g. <c>AcademicYear</c> → <c>academic_year</c>. Made once per member: the
    /// DNS filter spells a decision and its reason for every query it logs (issue 18 part 5).
    /// </summary>
    public static string ToSnake<T>(T value)
        where T : struct, Enum => SnakeNames<T>.Names.TryGetValue(value, out var name) ? name : ToSnake(value.ToString());

    /// <summary>Every declared member's spelling (a value outside them, such as a combination of flags, is spelled on demand).</summary>
    private static class SnakeNames<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Names = System.Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => ToSnake(v.ToString()));
    }

    public static string ToSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1])))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>The member the file's spelling names, or null.</summary>
    public static T? Parse<T>(string snake)
        where T : struct, Enum
    {
        var map = _byName.GetOrAdd(typeof(T), static _ =>
            System.Enum.GetValues<T>().ToDictionary(v => ToSnake(v.ToString()), v => (object)v, StringComparer.Ordinal));
        return map.TryGetValue(snake, out var value) ? (T)value : null;
    }

    /// <summary>Every spelling the file accepts for <typeparamref name="T"/>, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => System.Enum.GetValues<T>().Select(v => ToSnake(v.ToString())).ToList();
}
