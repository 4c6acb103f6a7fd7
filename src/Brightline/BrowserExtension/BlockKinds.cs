namespace Brightline.BrowserExtension;

/// <summary>What decided a block, as the decision API names it (<see cref="UrlDecision.Kind"/>).</summary>
public static class BlockKinds
{
    /// <summary>The access gate: an agreement is not signed yet.</summary>
    public const string Agreement = "agreement";

    /// <summary>A sanction: internet withdrawn, account suspended, a parent meeting pending, or restricted categories.</summary>
    public const string Sanction = "sanction";

    /// <summary>The person has left the school.</summary>
    public const string Leaver = "leaver";

    /// <summary>A schedule in force (a category blocked during it, or everything but the allow list).</summary>
    public const string Schedule = "schedule";

    /// <summary>A category the person's profile blocks.</summary>
    public const string Category = "category";

    /// <summary>An illegal-content list (IWF, CTIRU): blocked for everyone, always.</summary>
    public const string Illegal = "illegal";

    /// <summary>The school's own deny rule, or a profile that allows only its allow list.</summary>
    public const string Rule = "rule";

    /// <summary>Not a web address the filter can check.</summary>
    public const string Invalid = "invalid";
}
