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
    public static async Task<FreeRadiusServer> StartAsync(BrightlineServer server, string schoolId, string secret)
    {
        var dir = Path.Combine(Path.GetTempPath(), "brightline-radius-" + Guid.NewGuid().ToString("N"));
        var port = FreeUdpPortPair();
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<RadiusConfigWriter>().WriteAsync(
                new RadiusConfigRequest(dir, schoolId, server.BaseAddress, "127.0.0.1", port), CancellationToken.None);
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
