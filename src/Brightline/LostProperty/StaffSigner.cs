namespace Brightline.LostProperty;

/// <summary>A member of staff whose password was just checked: their account, name for the record, and staff role.</summary>
public sealed record StaffSigner(string UserId, string Name, string Role);
