using Brightline.Data.Entities;

namespace Brightline.Devices;

/// <summary>A device's details once checked: normalised, typed, MACs in the one spelling.</summary>
internal sealed record DeviceValues(
    string? AssetTag, string? Serial, DeviceKind Kind, string Model, string Name, DeviceOwnership Ownership,
    Guid? PersonId, string? ClassName, string? Location, string? DeviceGroup, IReadOnlyList<string> Macs, string? Notes);
