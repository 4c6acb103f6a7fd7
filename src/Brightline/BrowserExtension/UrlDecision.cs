namespace Brightline.BrowserExtension;

/// <summary>
/// One URL's answer: allow or block, why in words, where to show it, and how long the extension may keep it.
/// <see cref="Kind"/> says what decided a block (<see cref="BlockKinds"/>), so the extension and the block page can
/// word it; <see cref="Illegal"/> marks a block for an illegal-content category, which nothing can allow and which
/// the extension keeps blocking even when the server cannot be reached.
/// </summary>
public sealed record UrlDecision(string Url, string Action, string? Reason, string? Category, string? Detail, string? BlockPage, int TtlSeconds, string? Kind = null, bool Illegal = false);
