namespace Brightline.Leavers;

/// <summary>Who is acting on a checklist: their school and user name (for history rows and the audit log).</summary>
public sealed record LeaversActor(string SchoolId, string UserName);
