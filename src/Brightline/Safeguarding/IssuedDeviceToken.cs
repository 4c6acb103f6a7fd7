using Brightline.Data.Entities;

namespace Brightline.Safeguarding;

/// <summary>A token shown once when a device is added; only its SHA-256 is kept.</summary>
public sealed record IssuedDeviceToken(MonitoringDevice Device, string Token);
