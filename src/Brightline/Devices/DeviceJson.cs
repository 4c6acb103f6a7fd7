namespace Brightline.Devices;

/// <summary>A device as the API's create and patch take it; on a patch, an absent (null) field keeps its value and "" clears it.</summary>
public sealed record DeviceJson(
    string? AssetTag, string? Serial, string? Kind, string? Model, string? Name, string? Ownership, Guid? PersonId, bool? ClearPerson,
    string? ClassName, string? Location, string? DeviceGroup, string? Macs, string? Notes);
