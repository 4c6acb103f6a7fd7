namespace Brightline.BrowserExtension;

/// <summary>One URL's answer: allow or block, why in words, where to show it, and how long the extension may keep it.</summary>
public sealed record UrlDecision(string Url, string Action, string? Reason, string? Category, string? Detail, string? BlockPage, int TtlSeconds);
