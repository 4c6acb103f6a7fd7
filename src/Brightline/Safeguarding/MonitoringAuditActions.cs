namespace Brightline.Safeguarding;

/// <summary>Audit action names of the monitoring feature.</summary>
public static class MonitoringAuditActions
{
    public const string DeviceTokenIssued = "device-token-issued";
    public const string DeviceTokenRevoked = "device-token-revoked";
    public const string CaptureViewed = "monitoring-capture-viewed";
    public const string AlertOutcome = "monitoring-alert-outcome";
    public const string AlertNote = "monitoring-alert-note";
    public const string CapturesPurged = "monitoring-captures-purged";

    // Issue 16 part 4: the school's own exception library.
    public const string ExceptionProposed = "monitoring-exception-proposed";
    public const string ExceptionApproved = "monitoring-exception-approved";
    public const string ExceptionRejected = "monitoring-exception-rejected";
    public const string ExceptionWithdrawn = "monitoring-exception-withdrawn";
}
