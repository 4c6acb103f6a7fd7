using Brightline.Data.Entities;

namespace Brightline.LostProperty;

/// <summary>A found device with its whole history, for its page.</summary>
public sealed record FoundDeviceView(Device Device, FoundDevice Found, IReadOnlyList<DeviceHistoryEntry> History, DateOnly Today)
{
    public bool IsClosed => Found.Outcome is not null;

    public bool IsDue => !IsClosed && Found.HoldUntil is { } until && until < Today;
}
