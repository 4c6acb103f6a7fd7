using System.Net;
using Brightline.Dns.Wire;

namespace Brightline.Dns.Policy;

/// <summary>
/// Decides what to do with one query. Called once per query after the DoH canary check, on the
/// answer path: implementations must be fast (no I/O on warm paths) and should not throw.
/// </summary>
public interface IDnsQueryPolicy
{
    ValueTask<DnsPolicyAnswer> DecideAsync(DnsQueryContext context, CancellationToken cancellationToken);
}

/// <summary>Who asked what.</summary>
/// <param name="ClientAddress">Source address of the query (IPv4-mapped IPv6 unwrapped).</param>
/// <param name="QueryName">Lowercase, no trailing dot; the root is "". Odd bytes are escaped as \DDD.</param>
/// <param name="QueryType">Query type (numeric values outside the enum are possible).</param>
/// <param name="Transport">UDP or TCP.</param>
public readonly record struct DnsQueryContext(
    IPAddress ClientAddress,
    string QueryName,
    DnsRecordType QueryType,
    DnsTransport Transport);

/// <summary>The kinds of answer a policy can give.</summary>
public enum DnsPolicyAction
{
    /// <summary>Resolve through the upstream resolvers (cached).</summary>
    Forward,

    /// <summary>Answer A/AAAA with the block page's addresses (other types: no data).</summary>
    BlockWithAddress,

    /// <summary>Answer NXDOMAIN.</summary>
    BlockWithNxDomain,

    /// <summary>Answer a CNAME to <see cref="DnsPolicyAnswer.RewriteTarget"/> plus the target's records (safe search).</summary>
    Rewrite,

    /// <summary>Every name answers with the portal's addresses (the access gate refuses this person).</summary>
    Portal,

    /// <summary>Answer REFUSED (e.g. a client outside every known subnet).</summary>
    Refuse,
}

/// <summary>What the policy wants logged with the decision (never written to the application log).</summary>
/// <param name="Category">Filtering category that decided, e.g. "gambling".</param>
/// <param name="Reason">Short machine-friendly reason or rule ID, e.g. "rule:O20" or "agreement-unsigned".</param>
/// <param name="Profile">Profile or group that applied.</param>
/// <param name="Person">Person identifier if the address is bound to someone.</param>
public sealed record DnsLogPayload(string? Category = null, string? Reason = null, string? Profile = null, string? Person = null, string? School = null)
{
    public static DnsLogPayload Empty { get; } = new();
}

/// <summary>A policy's answer. Build with the static factories.</summary>
public sealed class DnsPolicyAnswer
{
    private static readonly DnsPolicyAnswer _forwardUncapped = new(DnsPolicyAction.Forward, null, null, null, null, DnsLogPayload.Empty);

    private DnsPolicyAnswer(
        DnsPolicyAction action, IPAddress? ipv4, IPAddress? ipv6, string? rewriteTarget, TimeSpan? ttlCap, DnsLogPayload payload)
    {
        Action = action;
        IPv4 = ipv4;
        IPv6 = ipv6;
        RewriteTarget = rewriteTarget;
        TtlCap = ttlCap;
        Payload = payload;
    }

    public DnsPolicyAction Action { get; }

    /// <summary>Block-page or portal IPv4 address, if any.</summary>
    public IPAddress? IPv4 { get; }

    /// <summary>Block-page or portal IPv6 address, if any.</summary>
    public IPAddress? IPv6 { get; }

    /// <summary>For <see cref="DnsPolicyAction.Rewrite"/>: the host to answer as a CNAME target.</summary>
    public string? RewriteTarget { get; }

    /// <summary>
    /// Upper bound on every TTL in the answer; set it when the outcome may change soon (schedules,
    /// sanctions, address bindings, overrides), e.g. 5–30 s. Null: forwarded answers keep their
    /// upstream TTL and synthesised answers use the configured synthesised TTL.
    /// </summary>
    public TimeSpan? TtlCap { get; }

    public DnsLogPayload Payload { get; }

    /// <summary>Forward without a cap and with nothing to log (a shared instance).</summary>
    public static DnsPolicyAnswer Forward() => _forwardUncapped;

    public static DnsPolicyAnswer Forward(TimeSpan? ttlCap, DnsLogPayload? payload = null)
        => new(DnsPolicyAction.Forward, null, null, null, ttlCap, payload ?? DnsLogPayload.Empty);

    public static DnsPolicyAnswer BlockWithAddress(IPAddress? ipv4, IPAddress? ipv6, TimeSpan? ttlCap = null, DnsLogPayload? payload = null)
        => new(DnsPolicyAction.BlockWithAddress, RequireFamily(ipv4, false), RequireFamily(ipv6, true), null, ttlCap, payload ?? DnsLogPayload.Empty);

    public static DnsPolicyAnswer BlockWithNxDomain(TimeSpan? ttlCap = null, DnsLogPayload? payload = null)
        => new(DnsPolicyAction.BlockWithNxDomain, null, null, null, ttlCap, payload ?? DnsLogPayload.Empty);

    public static DnsPolicyAnswer Rewrite(string target, TimeSpan? ttlCap = null, DnsLogPayload? payload = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        Span<byte> scratch = stackalloc byte[DnsName.MaxWireLength];
        if (!DnsName.TryEncode(target, scratch, out _))
        {
            throw new ArgumentException($"'{target}' is not a valid host name.", nameof(target));
        }

        return new(DnsPolicyAction.Rewrite, null, null, target.TrimEnd('.').ToLowerInvariant(), ttlCap, payload ?? DnsLogPayload.Empty);
    }

    public static DnsPolicyAnswer Portal(IPAddress? ipv4, IPAddress? ipv6, TimeSpan? ttlCap = null, DnsLogPayload? payload = null)
        => new(DnsPolicyAction.Portal, RequireFamily(ipv4, false), RequireFamily(ipv6, true), null, ttlCap, payload ?? DnsLogPayload.Empty);

    public static DnsPolicyAnswer Refuse(DnsLogPayload? payload = null)
        => new(DnsPolicyAction.Refuse, null, null, null, null, payload ?? DnsLogPayload.Empty);

    private static IPAddress? RequireFamily(IPAddress? address, bool v6)
    {
        if (address is null)
        {
            return null;
        }

        bool isV6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        return isV6 == v6 ? address : throw new ArgumentException(v6 ? "Expected an IPv6 address." : "Expected an IPv4 address.");
    }
}
