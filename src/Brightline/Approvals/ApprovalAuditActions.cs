namespace Brightline.Approvals;

/// <summary>Audited action names for approvals.</summary>
public static class ApprovalAuditActions
{
    public const string Requested = "approval-requested";
    public const string Approved = "approval-approved";
    public const string Applied = "approval-applied";
    public const string Declined = "approval-declined";
    public const string Revoked = "approval-revoked";
    public const string Expired = "approval-expired";
    public const string Withdrawn = "approval-withdrawn";
}
