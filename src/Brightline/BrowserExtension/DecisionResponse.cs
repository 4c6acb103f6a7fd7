namespace Brightline.BrowserExtension;

public sealed record DecisionResponse(IReadOnlyList<UrlDecision> Decisions);
