namespace Brightline.Safeguarding;

/// <summary>Claims a device token adds.</summary>
public static class DeviceClaims
{
    public const string Device = "brightline:device";
    public const string School = "brightline:device-school";
}
