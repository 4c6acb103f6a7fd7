namespace Brightline.BrowserExtension;

/// <summary>
/// What the extension enforces in the browser for this person (issue 12, point 3): safe search on Google, Bing and
/// DuckDuckGo, and YouTube Restricted Mode (<c>off</c>, <c>moderate</c> or <c>strict</c>). It is read from the DNS
/// filter's own answers for the person — a <c>Rewrite</c> of the search engine's or YouTube's name — so profiles,
/// schedules and approvals decide it exactly as they decide the DNS rewrite.
/// </summary>
public sealed record SafetyEnforcement(bool SafeSearch, string YouTube)
{
    public const string Off = "off";
    public const string Moderate = "moderate";
    public const string Strict = "strict";
}
