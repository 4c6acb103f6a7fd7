namespace Brightline.BrowserExtension;

/// <summary>The extension's acceptance of an acknowledgement: the agreement it showed.</summary>
public sealed record AcknowledgementRequest(string? AgreementId);
