namespace Brightline.Network;

/// <summary>What <c>brightline radius config</c> was asked for: where to write, which school, where Brightline is, where FreeRADIUS listens.</summary>
public sealed record RadiusConfigRequest(string OutputDirectory, string SchoolId, Uri BrightlineUrl, string ListenAddress, int AuthPort)
{
    /// <summary>Accounting listens on the next port, as RADIUS's 1812/1813 do.</summary>
    public int AccountingPort => AuthPort + 1;
}
