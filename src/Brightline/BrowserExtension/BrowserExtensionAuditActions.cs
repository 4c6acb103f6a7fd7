namespace Brightline.BrowserExtension;

/// <summary>Audit action names of the browser extension feature.</summary>
public static class BrowserExtensionAuditActions
{
    public const string KeyCreated = "extension-key-created";
    public const string KeyRevoked = "extension-key-revoked";
    public const string Enrolled = "extension-enrolled";
    public const string TokenRevoked = "extension-token-revoked";
    /// <summary>The browser reported the extension removed (its uninstall address): the token is retired and IT and the DSL alerted.</summary>
    public const string Removed = "extension-removed";
    /// <summary>A pupil (or anyone) told a trusted adult through the extension: a safeguarding report for the DSL (W5).</summary>
    public const string Concern = "extension-concern";
}
