using Brightline.Data.Entities;

namespace Brightline.Devices;

/// <summary>One row of the register list: the device and its assigned person's name (never an id on screen).</summary>
public sealed record DeviceRow(Device Device, string? PersonName);
