namespace Brightline.BrowserExtension;

/// <summary>A batch of URLs to decide (<c>POST /api/v1/decisions</c>).</summary>
public sealed record DecisionBatch(IReadOnlyList<string>? Urls);
