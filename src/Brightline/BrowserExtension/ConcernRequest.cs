namespace Brightline.BrowserExtension;

/// <summary>A worry written on the extension's "Tell a trusted adult" page (W5).</summary>
public sealed record ConcernRequest(string? Text);
