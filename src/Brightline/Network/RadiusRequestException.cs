namespace Brightline.Network;

/// <summary>A FreeRADIUS request Brightline cannot read (not rlm_rest's JSON, an attribute of the wrong shape): answered 400, which FreeRADIUS treats as a reject.</summary>
public sealed class RadiusRequestException(string message) : Exception(message);
