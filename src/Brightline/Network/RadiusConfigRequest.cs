namespace Brightline.Network;

/// <summary>What <c>brightline radius config</c> was asked for: where to write, which school, where Brightline is, where FreeRADIUS listens.</summary>
public sealed record RadiusConfigRequest(string OutputDirectory, string SchoolId, Uri BrightlineUrl, string ListenAddress, int AuthPort)
{
    /// <summary>The server certificate (PEM) for EAP-TTLS; with <see cref="TlsKey"/>, the configuration also accepts 802.1X with EAP-TTLS/PAP.</summary>
    public string? TlsCertificate { get; init; }

    /// <summary>The certificate's private key (PEM), readable by FreeRADIUS only.</summary>
    public string? TlsKey { get; init; }

    /// <summary>The CA chain devices are told to trust (PEM); the certificate itself when absent.</summary>
    public string? TlsCa { get; init; }

    public bool Eap => TlsCertificate is not null && TlsKey is not null;

    /// <summary>
    /// Where FreeRADIUS hears Brightline say "forget the answers you keep" (a CoA listener, RFC 5176's port by default):
    /// needed for FreeRADIUS to answer repeat sign-ins itself (<see cref="FreeRadiusAnswers"/>).
    /// </summary>
    public int CoaPort { get; init; } = 3799;

    /// <summary>
    /// The address Brightline sends from to <see cref="CoaPort"/> (the only client that port takes); default: the
    /// Brightline URL's host when it is an IP address (localhost: 127.0.0.1). Unknown: no listener is written, and
    /// every sign-in is answered by Brightline.
    /// </summary>
    public string? BrightlineAddress { get; init; }

    /// <summary>The CoA listener's one client: <see cref="BrightlineAddress"/>, else the URL's host when it is an address.</summary>
    public string? CoaClientAddress =>
        BrightlineAddress
        ?? (BrightlineUrl.IsLoopback && BrightlineUrl.HostNameType == UriHostNameType.Dns ? "127.0.0.1"
            : BrightlineUrl.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 ? BrightlineUrl.IdnHost.Trim('[', ']') : null);

    /// <summary>Accounting listens on the next port, as RADIUS's 1812/1813 do.</summary>
    public int AccountingPort => AuthPort + 1;
}
