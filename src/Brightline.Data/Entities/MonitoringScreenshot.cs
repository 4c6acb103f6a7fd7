namespace Brightline.Data.Entities;

/// <summary>
/// A screenshot of the tab where a critical event happened (issue 12, point 4; O9), one per event. The row is
/// made by whichever comes first — the ingestion API asking the device for it (<see cref="RequestedAt"/>) or the
/// scoring worker linking the event's critical alert (<see cref="AlertId"/>) — and the image arrives later from
/// the device, accepted only for a row the server asked for. Purged after the policy's retention (45 days).
/// </summary>
public sealed class MonitoringScreenshot
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid DeviceId { get; set; }
    /// <summary>The critical event the screenshot was taken for (unique).</summary>
    public long EventId { get; set; }
    /// <summary>The alert the event raised or joined; null until the scoring worker has scored the event.</summary>
    public long? AlertId { get; set; }
    /// <summary>When the row was made (the event's arrival), from which the retention runs.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the ingestion API asked the device for the screenshot; null when it did not (the device cannot take one).</summary>
    public DateTimeOffset? RequestedAt { get; set; }
    /// <summary>image/png or image/jpeg; null until the image arrives.</summary>
    public string? ContentType { get; set; }
    public byte[]? Image { get; set; }
    public DateTimeOffset? CapturedAt { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
}
