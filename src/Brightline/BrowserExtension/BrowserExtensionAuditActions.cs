namespace Brightline.BrowserExtension;

/// <summary>Audit action names of the browser extension feature.</summary>
public static class BrowserExtensionAuditActions
{
    public const string KeyCreated = "extension-key-created";
    public const string KeyRevoked = "extension-key-revoked";
    public const string Enrolled = "extension-enrolled";
    public const string TokenRevoked = "extension-token-revoked";
}
