namespace Brightline.BrowserExtension;

/// <summary>A token for one person on one browser (and the monitoring device token its capture is sent with), with what the popup shows.</summary>
public sealed record Enrolment(string Token, string MonitoringToken, Guid PersonId, string PersonName, string SchoolId, string SchoolName);
