namespace Brightline.LostProperty;

/// <summary>What the form says about a device found on site (H15).</summary>
public sealed record NewFoundDevice(string? Kind, string? Description, string? Serial, string? FoundWhere, DateTimeOffset? FoundAt, string? FoundBy);
