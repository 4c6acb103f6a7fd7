using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Brightline.Network;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Network;

/// <summary>
/// The real FreeRADIUS (Debian's freeradius 3.2 with rlm_rest) on loopback, run from the configuration
/// <c>brightline radius config</c> writes, in the foreground under this test (stopped by its PID); and radclient to
/// talk to it. Every wait is bounded.
/// </summary>
internal sealed class FreeRadiusServer : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/freeradius";
    public const string RadClient = "/usr/bin/radclient";

    private readonly Process _process;
    private readonly StringBuilder _log;

    private FreeRadiusServer(Process process, StringBuilder log, string directory, int authPort, string secret)
    {
        _process = process;
        _log = log;
        Directory = directory;
        AuthPort = authPort;
        Secret = secret;
    }

    public string Directory { get; }

    public int AuthPort { get; }

    public int AccountingPort => AuthPort + 1;

    public string Secret { get; }

    public static bool Installed => File.Exists(Binary) && File.Exists(RadClient);

    /// <summary>FreeRADIUS's debug output so far (for a failing assertion's message).</summary>
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

    /// <summary>Writes the configuration for <paramref name="schoolId"/> with the server's own writer, pointing at <paramref name="server"/>, and starts FreeRADIUS on it.</summary>
    /// <remarks>With EAP-TTLS: a self-signed certificate made here (eapol_test is given no CA, so it does not check it).</remarks>
    /// <param name="coaPort">Where FreeRADIUS hears Brightline's "forget the answers you keep" (a free port when not given).</param>
    public static async Task<FreeRadiusServer> StartAsync(BrightlineServer server, string schoolId, string secret, int? coaPort = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "brightline-radius-" + Guid.NewGuid().ToString("N"));
        var certificates = Path.Combine(dir, "certs");
        System.IO.Directory.CreateDirectory(certificates);
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
                "CN=radius.school.test", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllTextAsync(Path.Combine(certificates, "server.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(certificates, "server.key"), rsa.ExportPkcs8PrivateKeyPem());
        }

        var port = FreeUdpPortPair();
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<RadiusConfigWriter>().WriteAsync(
                new RadiusConfigRequest(dir, schoolId, server.BaseAddress, "127.0.0.1", port)
                {
                    CoaPort = coaPort ?? FreeUdpPort(),
                    TlsCertificate = Path.Combine(certificates, "server.pem"),
                    TlsKey = Path.Combine(certificates, "server.key"),
                },
                CancellationToken.None);
        }

        var psi = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-X", "-d", dir })
        {
            psi.ArgumentList.Add(a);
        }

        var log = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                // Bounded: a long test must not grow the captured log without limit.
                if (log.Length < 4_000_000)
                {
                    log.AppendLine(e.Data);
                }
            }

            if (e.Data.Contains("Ready to process requests", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var radius = new FreeRadiusServer(process, log, dir, port, secret);
        var started = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(20)));
        if (started != ready.Task)
        {
            var output = radius.Log;
            await radius.DisposeAsync();
            throw new InvalidOperationException($"FreeRADIUS did not become ready:\n{output}");
        }

        return radius;
    }

    /// <summary>Sends one packet with radclient (<paramref name="kind"/> auth or acct) and returns what came back.</summary>
    public async Task<RadiusReply> SendAsync(string kind, params (string Name, string Value)[] attributes)
    {
        var psi = new ProcessStartInfo(RadClient) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        var port = kind == "acct" ? AccountingPort : AuthPort;
        foreach (var a in new[] { "-x", "-t", "5", "-r", "1", $"127.0.0.1:{port}", kind, Secret })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var body = new StringBuilder();
        foreach (var (name, value) in attributes)
        {
            body.Append(name).Append(" = \"").Append(value).Append("\",\n");
        }

        if (kind == "auth")
        {
            // clients.conf requires it (BlastRADIUS); radclient fills in the real value.
            body.Append("Message-Authenticator = 0x00\n");
        }

        await process.StandardInput.WriteAsync(body.ToString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return RadiusReply.Parse(await stdout + "\n" + await stderr);
    }

    /// <summary>
    /// 802.1X as a laptop does it: eapol_test runs EAP-TTLS with PAP inside (anonymous outer identity) against
    /// FreeRADIUS, on <paramref name="calledStationId"/>. Returns whether it succeeded, the Access-Accept's attributes as eapol_test prints them (hex, or text in quotes), and the output.
    /// </summary>
    /// <returns>Whether eapol_test succeeded, the last Access-Accept's attributes, the last Access-Reject's, and its whole output.</returns>
    public async Task<(bool Success, IReadOnlyDictionary<string, string> Accept, IReadOnlyDictionary<string, string> Reject, string Output)> EapTtlsAsync(
        string identity, string password, string calledStationId)
    {
        var config = Path.Combine(Directory, $"eapol-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(config, $$"""
            network={
            	key_mgmt=WPA-EAP
            	eap=TTLS
            	identity="{{identity}}"
            	anonymous_identity="anonymous@school.test"
            	password="{{password}}"
            	phase2="auth=PAP"
            }

            """);
        var psi = new ProcessStartInfo("/usr/bin/eapol_test") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", config, "-a", "127.0.0.1", "-p", AuthPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", Secret, "-t", "20", "-r", "0", $"-N30:s:{calledStationId}" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + "\n" + await stderr;
        var lines = output.Split('\n');
        return (process.ExitCode == 0 && lines.Any(l => l.Trim() == "SUCCESS"), Attributes(lines, "(Access-Accept)"), Attributes(lines, "(Access-Reject)"), output);
    }

    /// <summary>The attributes eapol_test printed for the last RADIUS message of the kind (<c>"(Access-Accept)"</c>).</summary>
    private static Dictionary<string, string> Attributes(string[] lines, string kind)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var at = Array.FindLastIndex(lines, l => l.Contains(kind, StringComparison.Ordinal));
        for (var i = at + 1; at >= 0 && i + 1 < lines.Length && lines[i].TrimStart().StartsWith("Attribute ", StringComparison.Ordinal); i += 2)
        {
            // "Attribute 81 (Tunnel-Private-Group-Id) length=4" then "Value: 3330" (hex) or "Value: 'text'".
            var name = lines[i][(lines[i].IndexOf('(', StringComparison.Ordinal) + 1)..lines[i].IndexOf(')', StringComparison.Ordinal)];
            var value = lines[i + 1].Trim();
            attributes[name] = value.StartsWith("Value: ", StringComparison.Ordinal) ? value["Value: ".Length..] : value;
        }

        return attributes;
    }

    /// <summary>A UDP port free on loopback just now.</summary>
    public static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private static int FreeUdpPortPair()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)first.Client.LocalEndPoint!).Port;
            if (port >= 65534)
            {
                continue;
            }

            try
            {
                using var second = new UdpClient(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No two free consecutive UDP ports on loopback.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
