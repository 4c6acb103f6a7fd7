namespace Brightline.BrowserExtension;

/// <summary>The decision API's answer: one decision per URL, in order, and what to enforce in the browser for this person.</summary>
public sealed record DecisionResponse(IReadOnlyList<UrlDecision> Decisions, SafetyEnforcement? Enforce = null);
