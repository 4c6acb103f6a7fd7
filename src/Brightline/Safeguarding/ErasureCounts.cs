namespace Brightline.Safeguarding;

/// <summary>What deleting a person's monitoring data removes and what it keeps.</summary>
public sealed record ErasureCounts(int Events, int Alerts, int KeptAlerts, int KeptEvents);
