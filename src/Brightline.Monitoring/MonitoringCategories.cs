using System.Collections.Frozen;

namespace Brightline.Monitoring;

/// <summary>
/// The safeguarding categories Brightline's own libraries use. Category ids are lower-case ASCII
/// with hyphens; a library may introduce other ids (they are kept as written), but policies and
/// reports know these.
/// </summary>
public static class MonitoringCategories
{
    /// <summary>Suicide, self-harm, eating disorders, hopelessness.</summary>
    public const string SelfHarm = "self-harm";

    /// <summary>Bullying and abuse aimed at a person.</summary>
    public const string Bullying = "bullying";

    /// <summary>Sexual and pornographic content.</summary>
    public const string SexualContent = "sexual-content";

    /// <summary>Sexual exploitation and grooming: secrecy, requests for images, meeting up.</summary>
    public const string Grooming = "grooming";

    /// <summary>Radicalisation and extremism (Prevent duty).</summary>
    public const string Extremism = "extremism";

    /// <summary>Violence, threats and weapons.</summary>
    public const string Violence = "violence";

    /// <summary>Illegal drugs, misuse of legal drugs, dealing.</summary>
    public const string Drugs = "drugs";

    /// <summary>Gambling.</summary>
    public const string Gambling = "gambling";

    /// <summary>Discrimination and hate: racism, homophobia, and other prejudice.</summary>
    public const string Hate = "hate";

    /// <summary>
    /// Hacking and security misuse: port scanning, packet sniffing, password crackers, keyloggers, DDoS, using
    /// someone else's login, seeking admin access, bypassing the filter (H12). Usually routed to IT support.
    /// </summary>
    public const string SecurityMisuse = "security-misuse";

    /// <summary>Swearing and offensive language.</summary>
    public const string Profanity = "profanity";

    /// <summary>Imported phrases whose source category has no safeguarding equivalent.</summary>
    public const string Other = "other";

    /// <summary>Exceptions in this category lower the score of every category they overlap.</summary>
    public const string AnyCategory = "*";

    /// <summary>The known categories with a one-line description each, in report order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> All { get; } =
    [
        new(SelfHarm, "Suicide and self-harm"),
        new(Grooming, "Sexual exploitation and grooming"),
        new(Extremism, "Radicalisation and extremism"),
        new(Bullying, "Bullying"),
        new(Violence, "Violence and weapons"),
        new(SexualContent, "Sexual content"),
        new(Drugs, "Drugs"),
        new(Hate, "Discrimination and hate"),
        new(Gambling, "Gambling"),
        new(SecurityMisuse, "Hacking and security misuse"),
        new(Profanity, "Profanity"),
        new(Other, "Other (imported)"),
    ];

    private static readonly FrozenSet<string> s_known = All.Select(p => p.Key).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="id"/> is one of the known categories.</summary>
    public static bool IsKnown(string id) => s_known.Contains(id);

    /// <summary>Whether <paramref name="id"/> is a well-formed category id: 1–40 of <c>a-z 0-9 -</c>, or <c>*</c>.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> id)
    {
        if (id.SequenceEqual(AnyCategory))
        {
            return true;
        }

        if (id.Length is 0 or > 40)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
