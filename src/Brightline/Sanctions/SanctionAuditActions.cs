namespace Brightline.Sanctions;

/// <summary>Audited action names for sanctions.</summary>
public static class SanctionAuditActions
{
    public const string Impose = "sanction-imposed";
    public const string Lift = "sanction-lifted";
    public const string Meeting = "sanction-meeting-recorded";
    /// <summary>A letter to parents about a sanction: sent, or recorded as not sent and why (issue 15 part 6).</summary>
    public const string Letter = "sanction-letter-to-parents";
    /// <summary>A policy reason that leads to a disciplinary record, not a sanction the gate enforces (O15 for staff and pupils).</summary>
    public const string Disciplinary = "sanction-disciplinary";
}
