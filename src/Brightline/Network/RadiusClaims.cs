namespace Brightline.Network;

/// <summary>The claims a machine key gives a FreeRADIUS request: the school it answers for.</summary>
public static class RadiusClaims
{
    public const string School = "brightline:radius-school";
}
