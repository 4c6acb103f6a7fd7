namespace Brightline.Custody;

/// <summary>Who is recording, as the page knows them.</summary>
public sealed record CustodyActor(string SchoolId, string UserId, string UserName);
