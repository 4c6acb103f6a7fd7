using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Brightline.Tests.Network;

/// <summary>
/// A real NAS for Disconnect-Request: hostapd with its wired driver, in a network namespace this test creates, on one
/// end of a veth pair whose other end (in the test's namespace) has <see cref="Gateway"/>. Its DAE server
/// (<c>radius_das_port</c>) trusts <see cref="Gateway"/> with the shared secret and requires Event-Timestamp and
/// Message-Authenticator. Needs root, <c>ip</c> and hostapd; <see cref="TryStartAsync"/> answers no NAS, and why, where
/// they are missing or namespaces are not allowed. Stopped by its PID, and the namespace and link are deleted.
/// </summary>
internal sealed class HostapdNas : IAsyncDisposable
{
    public const int DasPort = 3799;

    private readonly Process _hostapd;
    private readonly StringBuilder _log;
    private readonly string _namespace;
    private readonly string _link;
    private readonly string _directory;

    private HostapdNas(Process hostapd, StringBuilder log, string ns, string link, string directory, IPAddress address, IPAddress gateway)
    {
        _hostapd = hostapd;
        _log = log;
        _namespace = ns;
        _link = link;
        _directory = directory;
        Address = address;
        Gateway = gateway;
    }

    /// <summary>The NAS's address (its NAS-IP-Address), inside the namespace.</summary>
    public IPAddress Address { get; }

    /// <summary>The test's end of the veth pair: where Brightline's Disconnect-Request comes from.</summary>
    public IPAddress Gateway { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The NAS, started; or no NAS and why it cannot run here (for the test's output: xunit 2 cannot skip from inside a test).</summary>
    public static async Task<(HostapdNas? Nas, string? WhyNot)> TryStartAsync(string secret)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "hostapd's wired driver and network namespaces need Linux.");
        }

        if (Environment.UserName != "root")
        {
            return (null, $"creating a network namespace needs root; the tests run as '{Environment.UserName}'.");
        }

        if (!File.Exists("/usr/sbin/hostapd"))
        {
            return (null, "hostapd is not installed (apt-get install -y hostapd).");
        }

        if (!File.Exists("/usr/sbin/ip"))
        {
            return (null, "ip is not installed (apt-get install -y iproute2).");
        }

        var id = RandomNumberGenerator.GetHexString(6, lowercase: true);
        var ns = $"bl-dae-{id}";
        var link = $"bld{id}a";
        var peer = $"bld{id}b";
        var subnet = RandomNumberGenerator.GetInt32(0, 64) * 4;
        var octet = RandomNumberGenerator.GetInt32(0, 256);
        var gateway = IPAddress.Parse($"10.213.{octet}.{subnet + 1}");
        var address = IPAddress.Parse($"10.213.{octet}.{subnet + 2}");
        var (created, error) = await RunIpAsync("netns", "add", ns);
        if (!created)
        {
            return (null, $"network namespaces are not allowed here ('ip netns add' failed: {error.Trim()}).");
        }

        var directory = Path.Combine(Path.GetTempPath(), $"brightline-hostapd-{id}");
        try
        {
            var ok = await IpAsync("link", "add", link, "type", "veth", "peer", "name", peer)
                && await IpAsync("link", "set", peer, "netns", ns)
                && await IpAsync("addr", "add", $"{gateway}/30", "dev", link)
                && await IpAsync("link", "set", link, "up")
                && await IpAsync("netns", "exec", ns, "ip", "addr", "add", $"{address}/30", "dev", peer)
                && await IpAsync("netns", "exec", ns, "ip", "link", "set", peer, "up")
                && await IpAsync("netns", "exec", ns, "ip", "link", "set", "lo", "up");
            if (!ok)
            {
                throw new InvalidOperationException("Setting up the veth pair failed.");
            }

            Directory.CreateDirectory(directory);
            var config = Path.Combine(directory, "hostapd.conf");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
                interface={peer}
                driver=wired
                ieee8021x=1
                eap_server=0
                auth_server_addr={gateway}
                auth_server_port=1812
                auth_server_shared_secret={secret}
                own_ip_addr={address}
                nas_identifier=test-switch
                radius_das_port={DasPort}
                radius_das_client={gateway} {secret}
                radius_das_require_event_timestamp=1
                radius_das_require_message_authenticator=1

                """));
            var psi = new ProcessStartInfo("/usr/sbin/ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "netns", "exec", ns, "/usr/sbin/hostapd", "-dd", config })
            {
                psi.ArgumentList.Add(a);
            }

            var log = new StringBuilder();
            var process = new Process { StartInfo = psi };
            process.OutputDataReceived += (_, e) => Append(log, e.Data);
            process.ErrorDataReceived += (_, e) => Append(log, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var nas = new HostapdNas(process, log, ns, link, directory, address, gateway);
            var clock = Stopwatch.StartNew();
            while (!nas.Log.Contains("AP-ENABLED", StringComparison.Ordinal) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(100);
            }

            if (!nas.Log.Contains("AP-ENABLED", StringComparison.Ordinal))
            {
                var output = nas.Log;
                await nas.DisposeAsync();
                throw new InvalidOperationException("hostapd did not start: " + output);
            }

            return (nas, null);
        }
        catch
        {
            await IpAsync("link", "del", link);
            await IpAsync("netns", "del", ns);
            throw;
        }
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.Length < 1_000_000)
            {
                log.AppendLine(line);
            }
        }
    }

    private static async Task<bool> IpAsync(params string[] arguments) => (await RunIpAsync(arguments)).Ok;

    private static async Task<(bool Ok, string Error)> RunIpAsync(params string[] arguments)
    {
        var psi = new ProcessStartInfo("/usr/sbin/ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        return (process.ExitCode == 0, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_hostapd.HasExited)
            {
                _hostapd.Kill();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _hostapd.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _hostapd.Dispose();
        await IpAsync("link", "del", _link);
        await IpAsync("netns", "del", _namespace);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }
}
