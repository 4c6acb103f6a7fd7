namespace Brightline.Devices;

/// <summary>A state change through the API: the new state key, why, and for disposal how the data was wiped and by whom.</summary>
public sealed record DeviceStateJson(string? State, string? Note, string? DataWipe);
