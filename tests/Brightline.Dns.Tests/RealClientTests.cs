using System.Diagnostics;
using System.Net;
using Brightline.Dns.Policy;
using Brightline.Dns.Tests.Infrastructure;
using Brightline.Dns.Wire;
using Xunit.Abstractions;

namespace Brightline.Dns.Tests;

/// <summary>Real clients and a real peer: dig against the server, and Unbound as a reference.</summary>
public sealed class RealClientTests(ITestOutputHelper output)
{
    private static FakeUpstream Zone()
    {
        var upstream = new FakeUpstream();
        upstream.AddA("www.example.test", "192.0.2.10", 300)
            .AddA("www.example.test", "192.0.2.11", 300)
            .Add("www.example.test", DnsRecordType.AAAA, 300, new AaaaRecordData(IPAddress.Parse("2001:db8::10")))
            .Add("example.test", DnsRecordType.MX, 3600, new MxRecordData(10, "mail.example.test"))
            .Add("example.test", DnsRecordType.TXT, 600, new TxtRecordData(["v=spf1 -all"]))
            .Add("_ldap._tcp.example.test", DnsRecordType.SRV, 600, new SrvRecordData(0, 5, 389, "dc1.example.test"))
            .AddA("mail.example.test", "192.0.2.25", 900);
        for (int i = 0; i < 60; i++)
        {
            upstream.AddA("big.example.test", $"198.51.100.{i}", 300);
        }

        return upstream;
    }

    private async Task<string> DigAsync(TestServer server, params string[] arguments)
    {
        string dig = Tools.Require("dig", "bind9-dnsutils");
        string[] all = ["@127.0.0.1", "-p", server.EndPoint.Port.ToString(), "+tries=1", "+time=3", .. arguments];
        string text = await Tools.RunAsync(dig, all, TimeSpan.FromSeconds(20));
        output.WriteLine($"$ dig {string.Join(' ', all)}\n{text}");
        return System.Text.RegularExpressions.Regex.Replace(text, "[ \t]+", " "); // dig aligns columns with tabs
    }

    [Fact]
    public async Task Dig_UdpAndTcp_GetsForwardedAnswer()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        string udp = await DigAsync(server, "www.example.test", "A");
        string tcp = await DigAsync(server, "+tcp", "www.example.test", "A");

        foreach (string text in new[] { udp, tcp })
        {
            text.ShouldContain("status: NOERROR");
            text.ShouldContain("flags: qr rd ra;");
            text.ShouldContain("www.example.test. 300 IN A 192.0.2.10");
            text.ShouldContain("www.example.test. 300 IN A 192.0.2.11");
            text.ShouldContain("EDNS: version: 0");
        }

        tcp.ShouldContain("(TCP)");
        udp.ShouldContain("(UDP)");
    }

    [Fact]
    public async Task Dig_BlockedRewrittenAndCanary_GetsFilterAnswers()
    {
        await using FakeUpstream upstream = Zone();
        upstream.AddA("forcesafesearch.example.test", "192.0.2.99", 120);
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        server.Policy.Answers["casino.example"] = DnsPolicyAnswer.BlockWithAddress(IPAddress.Parse("10.0.0.80"), null, TimeSpan.FromSeconds(20));
        server.Policy.Answers["www.google.test"] = DnsPolicyAnswer.Rewrite("forcesafesearch.example.test", TimeSpan.FromSeconds(30));

        string blocked = await DigAsync(server, "casino.example", "A");
        string rewritten = await DigAsync(server, "+tcp", "www.google.test", "A");
        string canary = await DigAsync(server, "use-application-dns.net", "A");

        blocked.ShouldContain("casino.example. 20 IN A 10.0.0.80");
        rewritten.ShouldContain("www.google.test. 30 IN CNAME forcesafesearch.example.test.");
        rewritten.ShouldContain("forcesafesearch.example.test. 30 IN A 192.0.2.99");
        canary.ShouldContain("status: NXDOMAIN");
    }

    [Fact]
    public async Task Dig_LargeAnswerWithoutEdns_IsTruncatedAndRetriedOverTcp()
    {
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);

        string text = await DigAsync(server, "+noedns", "big.example.test", "A");

        text.ShouldContain("Truncated, retrying in TCP mode");
        text.ShouldContain("ANSWER: 60");
        text.ShouldContain("(TCP)");
    }

    [Fact]
    public async Task Differential_AllowedNames_MatchUnboundForSameLocalZone()
    {
        string unbound = Tools.Require("unbound", "unbound");
        await using FakeUpstream upstream = Zone();
        await using TestServer server = await TestServer.StartAsync([upstream.Address]);
        string directory = Directory.CreateTempSubdirectory("brightline-unbound-").FullName;
        string config = Path.Combine(directory, "unbound.conf");
        var start = new ProcessStartInfo(unbound) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        // The port is free when chosen but another test running in parallel can take it before unbound binds it:
        // then unbound exits with "address already in use", and a new port is tried (three times at most).
        Process process = null!;
        IPEndPoint unboundEndPoint = null!;
        bool ready = false;
        string failure = "";
        for (int attempt = 0; attempt < 3 && !ready; attempt++)
        {
            int port = Tools.FreeUdpAndTcpPort();
            await File.WriteAllTextAsync(config, $$"""
                server:
                  interface: 127.0.0.1
                  port: {{port}}
                  do-daemonize: no
                  chroot: ""
                  username: ""
                  directory: "{{directory}}"
                  pidfile: "{{directory}}/unbound.pid"
                  use-syslog: no
                  logfile: ""
                  verbosity: 0
                  do-ip6: no
                  num-threads: 1
                  module-config: "iterator"
                  access-control: 127.0.0.0/8 allow
                  local-zone: "example.test." static
                  local-data: "www.example.test. 300 IN A 192.0.2.10"
                  local-data: "www.example.test. 300 IN A 192.0.2.11"
                  local-data: "www.example.test. 300 IN AAAA 2001:db8::10"
                  local-data: "example.test. 3600 IN MX 10 mail.example.test."
                  local-data: 'example.test. 600 IN TXT "v=spf1 -all"'
                  local-data: "_ldap._tcp.example.test. 600 IN SRV 0 5 389 dc1.example.test."
                  local-data: "mail.example.test. 900 IN A 192.0.2.25"
                remote-control:
                  control-enable: no
                """);
            process?.Dispose();
            process = Process.Start(start)!;
            unboundEndPoint = new IPEndPoint(IPAddress.Loopback, port);
            for (int i = 0; i < 50 && !ready && !process.HasExited; i++)
            {
                ready = await DnsTestClient.SendUdpRawAsync(unboundEndPoint, DnsTestClient.Query("www.example.test", DnsRecordType.A), TimeSpan.FromMilliseconds(200)) is not null;
            }

            if (!ready)
            {
                failure = process.HasExited ? await process.StandardError.ReadToEndAsync() : "no answer";
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        try
        {
            ready.ShouldBeTrue("unbound did not start: " + failure);
            (string Name, DnsRecordType Type)[] cases =
            [
                ("www.example.test", DnsRecordType.A),
                ("WWW.Example.Test", DnsRecordType.AAAA),
                ("example.test", DnsRecordType.MX),
                ("example.test", DnsRecordType.TXT),
                ("_ldap._tcp.example.test", DnsRecordType.SRV),
                ("mail.example.test", DnsRecordType.A),
                ("nothere.example.test", DnsRecordType.A),
                ("www.example.test", DnsRecordType.MX),
            ];
            foreach ((string name, DnsRecordType type) in cases)
            {
                byte[] query = DnsTestClient.Query(name, type, edns: new DnsEdns(1232));
                DnsMessage ours = await DnsTestClient.UdpAsync(server.EndPoint, query);
                DnsMessage theirs = await DnsTestClient.UdpAsync(unboundEndPoint, query);
                output.WriteLine($"{name} {type}: ours {ours.ResponseCode}/{ours.Answers.Count}, unbound {theirs.ResponseCode}/{theirs.Answers.Count}");
                ours.ResponseCode.ShouldBe(theirs.ResponseCode, $"{name} {type}");
                Normalise(ours.Answers).ShouldBe(Normalise(theirs.Answers), $"{name} {type}");
                ours.Questions.ShouldBe(theirs.Questions);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string[] Normalise(IEnumerable<DnsResourceRecord> records)
        => [.. records.Select(record => $"{record.Name.ToLowerInvariant()} {record.Ttl} {record.Class} {record.Type} {record.Data}").Order(StringComparer.Ordinal)];
}
