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

    /// <summary>Accounting listens on the next port, as RADIUS's 1812/1813 do.</summary>
    public int AccountingPort => AuthPort + 1;
}
