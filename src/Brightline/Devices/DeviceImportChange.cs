namespace Brightline.Devices;

/// <summary>What one row does: <c>add</c>, <c>update</c> (with the changes) or <c>unchanged</c>.</summary>
public sealed record DeviceImportChange(int Row, string Action, string? AssetTag, string Name, string? Detail);
