namespace Brightline.Consents;

/// <summary>Who is recording: their school, account and name (for the answer row and the audit log).</summary>
public sealed record ConsentActor(string SchoolId, string UserId, string UserName);
