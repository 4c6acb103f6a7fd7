namespace Brightline.BrowserExtension;

/// <summary>A token for one person on one browser, with what the popup shows.</summary>
public sealed record Enrolment(string Token, Guid PersonId, string PersonName, string SchoolId, string SchoolName);
