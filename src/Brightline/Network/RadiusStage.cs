namespace Brightline.Network;

/// <summary>Which FreeRADIUS call is being answered: some answers differ (authorize may accept a device at once).</summary>
public enum RadiusStage
{
    Authorize,
    Authenticate,
}
