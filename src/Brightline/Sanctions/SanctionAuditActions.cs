namespace Brightline.Sanctions;

/// <summary>Audited action names for sanctions.</summary>
public static class SanctionAuditActions
{
    public const string Impose = "sanction-imposed";
    public const string Lift = "sanction-lifted";
    public const string Meeting = "sanction-meeting-recorded";
}
