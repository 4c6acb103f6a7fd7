using Brightline.Data;
using System.Net;
using System.Net.Sockets;
using Brightline.DnsFiltering;
using Brightline.WebFiltering;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using Brightline.Tests.Infrastructure;

namespace Brightline.Tests.Filtering;

/// <summary>Settings that turn on the hosted DNS filter on a free loopback port, forwarding to a fake upstream; a server started with them.</summary>
internal static class DnsTestSettings
{
    public static Dictionary<string, string?> For(FakeUpstream upstream) => new(StringComparer.Ordinal)
    {
        ["Brightline:Dns:Enabled"] = "true",
        ["Brightline:Dns:Listen:0"] = "127.0.0.1:0",
        ["Brightline:Dns:Upstreams:0"] = upstream.Address,
        ["Brightline:Filtering:ListRoot"] = Path.Combine(RepoPaths.Root, "policies"),
    };

    /// <summary>A server hosting the DNS filter (forwarding to <paramref name="upstream"/>) with <paramref name="policyYaml"/> loaded and compiled.</summary>
    public static async Task<BrightlineServer> StartAsync(DatabaseProvider provider, FakeUpstream upstream, string policyYaml)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: For(upstream));
        await TestSchool.LoadPolicyAsync(server, policyYaml);
        await server.Services.GetRequiredService<FilterService>().RefreshAsync(CancellationToken.None);
        return server;
    }

    /// <summary>The DNS filter's IPv4 endpoint on loopback.</summary>
    public static IPEndPoint EndPoint(BrightlineServer server) =>
        server.Services.GetRequiredService<DnsHost>().EndPoints.First(e => e.AddressFamily == AddressFamily.InterNetwork);
}
