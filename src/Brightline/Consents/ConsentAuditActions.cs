namespace Brightline.Consents;

/// <summary>Audit action names for the consent register (F11, C14).</summary>
public static class ConsentAuditActions
{
    public const string Answered = "consent-answered";
    public const string Withdrawn = "consent-withdrawn";
    public const string LinkSent = "consent-link-sent";
    public const string Checked = "consent-publication-checked";
}
