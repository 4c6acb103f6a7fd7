namespace Brightline.BrowserExtension;

/// <summary>What the extension sends to exchange a portal sign-in code for its token (<c>POST /api/v1/extension/sign-in</c>).</summary>
public sealed record SignInExchange(string? EnrolmentKey, string? Code, string? DeviceId, string? DeviceName, string? SerialNumber = null, string? AssetTag = null);
