using Brightline.Data.Entities;

namespace Brightline.LostProperty;

/// <summary>One line of the lost-property list: the register's device and its lost-property record.</summary>
public sealed record FoundDeviceRow(Device Device, FoundDevice Found);
