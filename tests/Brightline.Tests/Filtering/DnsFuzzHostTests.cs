using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Brightline.Data;
using Brightline.Dns.Wire;
using Brightline.WebFiltering;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brightline.Tests.Filtering;

/// <summary>
/// The hosted DNS filter (real policy, real database, real loopback UDP) under four fuzzers at once,
/// while the filter and the sign-in bindings refresh from the database underneath the answers.
/// Bad input never crashes the server and never logs a warning or an exception.
/// </summary>
public sealed class DnsFuzzHostTests
{
    private const int Seed = 20260112;

    /// <summary>The example policy with its pupil VLAN moved to loopback, so the fuzzers are on a known network.</summary>
    private static string PolicyYaml => TestSchool.ExampleYaml
        .Replace("cidr: 10.20.0.0/16, group: ks1", "cidr: 127.0.0.1/32, group: ks1", StringComparison.Ordinal);

    private static readonly string[] s_names =
    [
        "www.facebook.com", "www.google.com", "www.youtube.com", "allowed.school.test", "www.bing.com",
        "use-application-dns.net", "n1.school.test", "n2.school.test", "a.b.c.d.school.test",
    ];

    /// <summary>A good query, a truncation, random bytes or a mutated good query.</summary>
    private static byte[] NextPacket(Random random)
    {
        byte[] seed = DnsTestClient.Query(
            s_names[random.Next(s_names.Length)],
            random.Next(3) switch { 0 => DnsRecordType.AAAA, 1 => DnsRecordType.HTTPS, _ => DnsRecordType.A },
            (ushort)random.Next(ushort.MaxValue),
            edns: random.Next(2) == 0 ? new DnsEdns(1232) : null);
        switch (random.Next(5))
        {
            case 0:
            case 1:
                return seed;
            case 2:
                return seed[..random.Next(0, seed.Length)];
            case 3:
            {
                byte[] garbage = new byte[random.Next(0, 600)];
                random.NextBytes(garbage);
                if (garbage.Length > 3)
                {
                    garbage[2] &= 0x07; // look like a query, so the parser goes deeper
                }

                return garbage;
            }

            default:
            {
                byte[] mutated = [.. seed];
                for (int i = random.Next(1, 6); i > 0; i--)
                {
                    int at = random.Next(2, mutated.Length);
                    mutated[at] = random.Next(3) switch
                    {
                        0 => (byte)random.Next(256),
                        1 => (byte)(0xC0 | random.Next(64)),
                        _ => (byte)(mutated[at] ^ (1 << random.Next(8))),
                    };
                }

                mutated[2] &= 0x7F; // still a query
                return mutated;
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dns_FourParallelUdpFuzzersWhileRefreshing_LogNoExceptionAndStillAnswer(DatabaseProvider provider)
    {
        await using var upstream = new FakeUpstream(origin: "school.test");
        upstream.AddA("allowed.school.test", "192.0.2.7", ttl: 300);
        var logs = new CapturingLoggerProvider { MinimumLevel = LogLevel.Warning };
        var settings = DnsTestSettings.For(upstream);
        await using var server = await BrightlineServer.StartAsync(provider, settings: settings, configure: b => b.Logging.AddProvider(logs));
        var dns = DnsTestSettings.EndPoint(server);
        var filters = server.Services.GetRequiredService<FilterService>();

        var stopwatch = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(15);
        using var done = new CancellationTokenSource();

        async Task FuzzAsync(int fuzzer)
        {
            var random = new Random(Seed + fuzzer);
            var from = IPAddress.Parse(fuzzer % 2 == 0 ? "127.0.0.1" : "127.0.0.2");
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(from, 0));
            await udp.ConnectAsync(dns);
            for (int i = 0; i < 3000 && stopwatch.Elapsed < budget; i++)
            {
                await udp.SendAsync(NextPacket(random), SocketFlags.None);
                if (i % 40 == 0)
                {
                    await Task.Delay(2); // let the server drain rather than measure the kernel's buffer
                }
            }
        }

        // The filter and the bindings go stale every few milliseconds of the fuzz, so refreshes run beside answers;
        // the policy itself arrives while the fuzzers are already asking (a school's first compile under load).
        async Task RefreshAsync()
        {
            await Task.Delay(100);
            await TestSchool.LoadPolicyAsync(server, PolicyYaml);
            while (!done.IsCancellationRequested && stopwatch.Elapsed < budget)
            {
                server.Clock.Advance(TimeSpan.FromSeconds(6));
                await Task.Delay(20);
            }
        }

        var refreshing = Task.Run(RefreshAsync);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(f => Task.Run(() => FuzzAsync(f))));
        await done.CancelAsync();
        await refreshing;
        await filters.RefreshAsync(CancellationToken.None);

        var answer = await DnsTestClient.AskFromAsync(IPAddress.Loopback, dns, "allowed.school.test");
        DnsTestClient.FirstA(answer).ShouldBe("192.0.2.7");
        logs.Entries.Where(e => e.Category.StartsWith("Brightline.Dns", StringComparison.Ordinal) || e.Exception is not null)
            .Select(e => $"{e.Category} {e.Level} {e.Message} {e.Exception}").ShouldBeEmpty();
    }
}
