using Brightline.Data.Entities;

namespace Brightline.Network;

/// <summary>One registered MAC as <c>brightline radius devices list</c> shows it.</summary>
public sealed record RegisteredMac(string Mac, string? DeviceGroup, string Name, DeviceState State);
