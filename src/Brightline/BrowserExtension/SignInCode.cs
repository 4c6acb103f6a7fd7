namespace Brightline.BrowserExtension;

/// <summary>What a portal sign-in code carries: who signed in, for which browser, and until when it may be exchanged.</summary>
public sealed record SignInCode(string SchoolId, Guid PersonId, string DeviceId, string Nonce, DateTimeOffset Expires);
