using System.Collections.Frozen;
using System.Numerics;

namespace Brightline.Filtering;

/// <summary>
/// A content category. The numeric value is the bit position in a <see cref="CategorySet"/> and
/// is stable: it is never renumbered, only appended to, because it is persisted in compiled lists
/// and decision logs. The stable external name (used in policies, list folders and logs) is
/// <see cref="CategoryInfo.Name"/>. Members are ordered by severity, so the first blocked category
/// found in enum order is the one a block page should name.
/// </summary>
public enum Category : byte
{
    ChildAbuse = 0,
    Terrorism = 1,
    Pornography = 2,
    SelfHarm = 3,
    Extremism = 4,
    Hate = 5,
    Violence = 6,
    Weapons = 7,
    Drugs = 8,
    MalwareHacking = 9,
    ProxyVpn = 10,
    EncryptedDns = 11,
    Gambling = 12,
    Piracy = 13,
    Misinformation = 14,
    Dating = 15,
    PeerToPeer = 16,
    SocialNetworking = 17,
    Chat = 18,
    AiChat = 19,
    Games = 20,
    Streaming = 21,
    Webmail = 22,
    Advertising = 23,
}

/// <summary>Metadata for one category.</summary>
/// <param name="Category">The category.</param>
/// <param name="Name">Stable lower-case name used in policies, list folders, logs and RPZ comments.</param>
/// <param name="DisplayName">Name shown to staff.</param>
/// <param name="Description">One sentence for the block page and reports.</param>
/// <param name="IsIllegal">Illegal content: always blocked, for everyone, and cannot be allowed by any profile, list or schedule.</param>
/// <param name="BlockedForPupilsByDefault">Whether a new pupil profile blocks this category unless the policy says otherwise.</param>
public sealed record CategoryInfo(
    Category Category,
    string Name,
    string DisplayName,
    string Description,
    bool IsIllegal,
    bool BlockedForPupilsByDefault);

/// <summary>The registry of categories: stable names, metadata and the illegal set.</summary>
public static class Categories
{
    private static readonly CategoryInfo[] s_all =
    [
        new(Category.ChildAbuse, "child-abuse", "Child sexual abuse", "Child sexual abuse material (for example the IWF list). Illegal.", true, true),
        new(Category.Terrorism, "terrorism", "Terrorism", "Unlawful terrorist content (for example the CTIRU list). Illegal.", true, true),
        new(Category.Pornography, "pornography", "Pornography", "Sexually explicit material.", false, true),
        new(Category.SelfHarm, "self-harm", "Self-harm and suicide", "Sites that promote or show self-harm, suicide or eating disorders.", false, true),
        new(Category.Extremism, "extremism", "Extremism", "Extremist ideologies and radicalisation.", false, true),
        new(Category.Hate, "hate", "Discrimination and hate", "Content that promotes discrimination or hatred of people for who they are.", false, true),
        new(Category.Violence, "violence", "Violence", "Graphic or gratuitous violence.", false, true),
        new(Category.Weapons, "weapons", "Weapons", "Sale or making of weapons and explosives.", false, true),
        new(Category.Drugs, "drugs", "Drugs", "Illegal drugs and substance misuse.", false, true),
        new(Category.MalwareHacking, "malware-hacking", "Malware and hacking", "Malware, phishing, hacking tools and scams.", false, true),
        new(Category.ProxyVpn, "proxy-vpn", "Proxies, VPNs and anonymisers", "Services that bypass filtering and monitoring.", false, true),
        new(Category.EncryptedDns, "encrypted-dns", "Encrypted DNS endpoints", "DNS-over-HTTPS and DNS-over-TLS resolvers that bypass the school's DNS.", false, true),
        new(Category.Gambling, "gambling", "Gambling", "Betting, casinos and lotteries.", false, true),
        new(Category.Piracy, "piracy", "Piracy and copyright infringement", "Unlicensed copies of software, films, music and books.", false, true),
        new(Category.Misinformation, "misinformation", "Mis- and disinformation", "Known sources of deliberately false or misleading information.", false, true),
        new(Category.Dating, "dating", "Dating", "Dating and relationship services.", false, true),
        new(Category.PeerToPeer, "peer-to-peer", "Peer-to-peer", "File sharing networks and trackers.", false, true),
        new(Category.SocialNetworking, "social-networking", "Social networking", "Social networks and media sharing communities.", false, true),
        new(Category.Chat, "chat", "Chat", "Chat rooms and instant messaging.", false, true),
        new(Category.AiChat, "ai-chat", "AI chat tools", "Generative AI chatbots and assistants.", false, true),
        new(Category.Games, "games", "Games", "Online games and gaming platforms.", false, true),
        new(Category.Streaming, "streaming", "Streaming media", "Video and audio streaming services.", false, false),
        new(Category.Webmail, "webmail", "Webmail", "Personal web-based email.", false, false),
        new(Category.Advertising, "advertising", "Advertising", "Advertising and tracking networks.", false, false),
    ];

    private static readonly FrozenDictionary<string, Category> s_byName =
        s_all.ToFrozenDictionary(c => c.Name, c => c.Category, StringComparer.Ordinal);

    /// <summary>Every category, in enum (severity) order.</summary>
    public static IReadOnlyList<CategoryInfo> All => s_all;

    /// <summary>The categories that are illegal and can never be allowed.</summary>
    public static CategorySet Illegal { get; } = CategorySet.Of(Category.ChildAbuse, Category.Terrorism);

    /// <summary>The categories a new pupil profile blocks by default (includes the illegal ones).</summary>
    public static CategorySet DefaultPupilBlocked { get; } = s_all.Where(c => c.BlockedForPupilsByDefault)
        .Aggregate(CategorySet.Empty, (set, c) => set.With(c.Category));

    /// <summary>Metadata for <paramref name="category"/>.</summary>
    public static CategoryInfo Get(Category category)
    {
        var index = (int)category;
        if ((uint)index >= (uint)s_all.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(category));
        }

        return s_all[index];
    }

    /// <summary>The stable name of <paramref name="category"/>.</summary>
    public static string NameOf(Category category) => Get(category).Name;

    /// <summary>Finds a category by its stable name (ordinal, lower case, e.g. <c>social-networking</c>).</summary>
    public static bool TryParse(string? name, out Category category)
    {
        if (name is not null && s_byName.TryGetValue(name, out category))
        {
            return true;
        }

        category = default;
        return false;
    }

    /// <summary>Whether <paramref name="category"/> is illegal.</summary>
    public static bool IsIllegal(Category category) => Illegal.Contains(category);
}

/// <summary>An immutable set of categories stored as a 64-bit mask (bit n = <see cref="Category"/> n).</summary>
public readonly record struct CategorySet(ulong Mask)
{
    /// <summary>The empty set.</summary>
    public static CategorySet Empty => default;

    /// <summary>Every defined category.</summary>
    public static CategorySet AllDefined { get; } = Categories.All.Aggregate(Empty, (set, c) => set.With(c.Category));

    /// <summary>Whether the set is empty.</summary>
    public bool IsEmpty => Mask == 0;

    /// <summary>Number of categories in the set.</summary>
    public int Count => BitOperations.PopCount(Mask);

    /// <summary>Creates a set of the given categories.</summary>
    public static CategorySet Of(params ReadOnlySpan<Category> categories)
    {
        ulong mask = 0;
        foreach (var c in categories)
        {
            mask |= 1UL << (int)c;
        }

        return new CategorySet(mask);
    }

    /// <summary>Whether the set contains <paramref name="category"/>.</summary>
    public bool Contains(Category category) => (Mask & (1UL << (int)category)) != 0;

    /// <summary>This set plus <paramref name="category"/>.</summary>
    public CategorySet With(Category category) => new(Mask | (1UL << (int)category));

    /// <summary>This set minus <paramref name="category"/>.</summary>
    public CategorySet Without(Category category) => new(Mask & ~(1UL << (int)category));

    /// <summary>Union.</summary>
    public CategorySet Union(CategorySet other) => new(Mask | other.Mask);

    /// <summary>Intersection.</summary>
    public CategorySet Intersect(CategorySet other) => new(Mask & other.Mask);

    /// <summary>Difference.</summary>
    public CategorySet Except(CategorySet other) => new(Mask & ~other.Mask);

    /// <summary>Whether the sets share a category.</summary>
    public bool Overlaps(CategorySet other) => (Mask & other.Mask) != 0;

    /// <summary>The first (most severe) category in the set, or <c>null</c> when empty.</summary>
    public Category? First => Mask == 0 ? null : (Category)BitOperations.TrailingZeroCount(Mask);

    /// <summary>The categories in the set, in severity order.</summary>
    public IEnumerable<Category> Members
    {
        get
        {
            var mask = Mask;
            while (mask != 0)
            {
                var bit = BitOperations.TrailingZeroCount(mask);
                yield return (Category)bit;
                mask &= mask - 1;
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => Mask == 0 ? "(none)" : string.Join(",", Members.Select(Categories.NameOf));
}
