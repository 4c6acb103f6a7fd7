namespace Brightline.BrowserExtension;

/// <summary>What an extension sends to enrol (<c>POST /api/v1/extension/enrol</c>).</summary>
/// <param name="SerialNumber">The device's serial number, as a managed Chromebook reports it (chrome.enterprise.deviceAttributes); ties the browser to the device register (F7).</param>
/// <param name="AssetTag">The asset ID the school set in its Google Admin console, likewise.</param>
public sealed record EnrolmentRequest(string? EnrolmentKey, string? Email, string? DeviceId, string? DeviceName, string? SerialNumber = null, string? AssetTag = null);
