namespace Brightline.Policy.Model;

/// <summary>
/// Photo and media consent (F11, C14; docs/consents.md): the questions parents are asked about each child (one per
/// publication channel and group of children), whether staff also record the child's own verbal consent (C14), how
/// long an answer lasts, and the publication rules the written policy states (first names only, never a home address).
/// Empty when the policy has no <c>consents:</c> section: then no consent is recorded and nothing may be published.
/// </summary>
public sealed record ConsentsPolicy
{
    public IReadOnlyList<ConsentQuestion> Questions { get; init; } = [];
    /// <summary>Who answers for a child: <c>parents</c> (the only value today; the schema says so).</summary>
    public string AnsweredBy { get; init; } = "parents";
    /// <summary>F11, C14: publications name children by first name only. Null when the policy does not say.</summary>
    public bool? FirstNamesOnly { get; init; }
    /// <summary>C14: <c>never</c> — no publication links a child to a home address. Null when the policy does not say.</summary>
    public string? HomeAddress { get; init; }

    /// <summary>Whether the policy has a <c>consents:</c> section with at least one question.</summary>
    public bool Stated => Questions.Count > 0;

    public ConsentQuestion? Find(string id) => Questions.FirstOrDefault(q => string.Equals(q.Id, id, StringComparison.Ordinal));

    /// <summary>The questions that ask about a child in <paramref name="groups"/> (any of the child's groups).</summary>
    public IEnumerable<ConsentQuestion> For(IReadOnlyCollection<string> groups) =>
        Questions.Where(q => q.Groups.Any(groups.Contains));
}

/// <summary>One yes/no question asked about a child (e.g. "May we publish photographs of your child on the school website?").</summary>
public sealed record ConsentQuestion
{
    public required string Id { get; init; }
    /// <summary>What the parent is asked, in the school's words.</summary>
    public required string Text { get; init; }
    /// <summary>A word from <see cref="ConsentChannels.All"/>: where an image would appear.</summary>
    public required string Channel { get; init; }
    /// <summary>The pupil groups whose children it is asked about (every pupil group when the policy names none).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];
    /// <summary>C14: staff also record the child's own verbal consent; publication needs both.</summary>
    public bool ChildVerbal { get; init; }
    public ConsentRenewal Renew { get; init; } = ConsentRenewal.Yearly;
    /// <summary>The requirement ID the question implements (F11, C14), for traceability.</summary>
    public string? Requirement { get; init; }
}

/// <summary>How long an answer lasts.</summary>
public enum ConsentRenewal
{
    /// <summary>A new answer is needed each academic year (from <c>school.calendar.academic_year_start</c>).</summary>
    Yearly,
    /// <summary>An answer stands until it is changed or withdrawn.</summary>
    Never,
}

/// <summary>The fixed vocabulary of publication channels a consent question may name.</summary>
public static class ConsentChannels
{
    public static readonly IReadOnlyList<string> All =
        ["website", "newsletter", "social_media", "press", "displays", "video", "prospectus", "learning_platform"];

    public static bool IsKnown(string? channel) => channel is not null && All.Contains(channel, StringComparer.Ordinal);

    /// <summary>The channel in words, for pages and messages ("social media").</summary>
    public static string Words(string channel) => channel switch
    {
        "website" => "the school website",
        "newsletter" => "the newsletter",
        "social_media" => "social media",
        "press" => "the press",
        "displays" => "displays in school",
        "video" => "video",
        "prospectus" => "the prospectus",
        "learning_platform" => "the learning platform",
        _ => channel,
    };

    /// <summary>The short label a list's column heading uses ("Website").</summary>
    public static string Label(string channel) => channel switch
    {
        "social_media" => "Social media",
        "learning_platform" => "Learning platform",
        _ => char.ToUpperInvariant(channel[0]) + channel[1..],
    };
}
