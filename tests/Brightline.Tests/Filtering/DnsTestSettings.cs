using Brightline.Tests.Infrastructure;

namespace Brightline.Tests.Filtering;

/// <summary>Settings that turn on the hosted DNS filter on a free loopback port, forwarding to a fake upstream.</summary>
internal static class DnsTestSettings
{
    public static Dictionary<string, string?> For(FakeUpstream upstream) => new(StringComparer.Ordinal)
    {
        ["Brightline:Dns:Enabled"] = "true",
        ["Brightline:Dns:Listen:0"] = "127.0.0.1:0",
        ["Brightline:Dns:Upstreams:0"] = upstream.Address,
        ["Brightline:Filtering:ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
    };
}
