using System.Net;
using System.Net.Sockets;
using Brightline.Data;
using Brightline.DnsFiltering;
using Brightline.Dns.Server;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Filtering;

/// <summary>The hosted DNS filter takes its DNS-over-TCP limits from <c>Brightline:Dns</c>, and refuses to start on a value it does not understand.</summary>
public sealed class DnsTcpSettingsHostTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dns_TcpSettingsFromConfiguration_LimitPerClientAndCloseIdleConnections(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        var settings = DnsTestSettings.For(upstream);
        settings["Brightline:Dns:MaxTcpConnectionsPerClient"] = "2";
        settings["Brightline:Dns:TcpIdleTimeoutSeconds"] = "1";
        await using var server = await BrightlineServer.StartAsync(provider, settings: settings);
        await TestSchool.LoadPolicyAsync(server);
        var dns = DnsTestSettings.EndPoint(server);
        var counters = server.Services.GetRequiredService<DnsHost>().Server.ShouldNotBeNull().Counters;

        var sockets = new List<Socket>();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 3; i++)
            {
                sockets.Add(await DnsTestClient.ConnectTcpFromAsync(IPAddress.Parse("127.0.0.2"), dns, cts.Token));
            }

            // Bounded wait for the server to turn the third away and to close the two idle ones after a second.
            for (var attempt = 0; attempt < 100 && counters.Snapshot() is { TcpPerClientRejected: < 1 } or { TcpIdleClosed: < 2 }; attempt++)
            {
                await Task.Delay(50);
            }

            var seen = counters.Snapshot();
            seen.TcpPerClientRejected.ShouldBe(1);
            seen.TcpIdleClosed.ShouldBe(2);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Theory]
    [InlineData("MaxTcpConnectionsPerClient", "eight")]
    [InlineData("MaxTcpConnectionsPerClient", "0")]
    [InlineData("TcpIdleTimeoutSeconds", "ten")]
    [InlineData("TcpIdleTimeoutSeconds", "600")]
    public async Task Dns_TcpSettingNotUnderstood_StopsStartUpNamingIt(string key, string value)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        var settings = DnsTestSettings.For(upstream);
        settings[$"Brightline:Dns:{key}"] = value;

        var error = await Should.ThrowAsync<Exception>(() => BrightlineServer.StartAsync(DatabaseProvider.Sqlite, settings: settings));

        error.Message.ShouldContain($"Brightline:Dns:{key}");
    }
}
