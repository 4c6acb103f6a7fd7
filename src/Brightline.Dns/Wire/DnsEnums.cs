namespace Brightline.Dns.Wire;

/// <summary>Resource record and query types (RFC 1035 §3.2.2–3.2.3 and later registrations).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    HINFO = 13,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    DNAME = 39,
    OPT = 41,
    DS = 43,
    RRSIG = 46,
    NSEC = 47,
    DNSKEY = 48,
    SVCB = 64,
    HTTPS = 65,
    IXFR = 251,
    AXFR = 252,
    ANY = 255,
    CAA = 257,
}

/// <summary>Record classes. Only IN is served; the rest are recognised so they can be refused.</summary>
public enum DnsClass : ushort
{
    IN = 1,
    CH = 3,
    HS = 4,
    None = 254,
    Any = 255,
}

/// <summary>Header OPCODE (RFC 1035 §4.1.1, RFC 6895).</summary>
public enum DnsOpCode : byte
{
    Query = 0,
    InverseQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}

/// <summary>
/// Response codes. Values up to 15 fit the header; larger values (extended RCODE, RFC 6891 §6.1.3)
/// need an OPT record to carry the upper eight bits.
/// </summary>
public enum DnsResponseCode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    YXDomain = 6,
    YXRRSet = 7,
    NXRRSet = 8,
    NotAuth = 9,
    NotZone = 10,
    BadVers = 16,
}

/// <summary>How a query reached the server.</summary>
public enum DnsTransport
{
    Udp,
    Tcp,
}
