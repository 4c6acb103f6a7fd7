namespace Brightline.LostProperty;

/// <summary>Who is acting: their school, portal account and user name (written into history rows and the audit log).</summary>
public sealed record LostPropertyActor(string SchoolId, string UserId, string UserName, Guid? PersonId = null);
