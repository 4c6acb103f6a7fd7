namespace Brightline.BrowserExtension;

/// <summary>What an extension sends to enrol (<c>POST /api/v1/extension/enrol</c>).</summary>
public sealed record EnrolmentRequest(string? EnrolmentKey, string? Email, string? DeviceId, string? DeviceName);
