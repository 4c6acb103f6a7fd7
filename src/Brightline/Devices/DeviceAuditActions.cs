namespace Brightline.Devices;

/// <summary>The audit log's actions for the device register; the subject is the device's id.</summary>
public static class DeviceAuditActions
{
    public const string Registered = "device-registered";
    public const string Edited = "device-edited";
    public const string StateChanged = "device-state-changed";
    public const string Attested = "device-attested";
    public const string Imported = "devices-imported";
    public const string Noted = "device-history";
}
