using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Brightline.Data;

namespace Brightline.Tests.Nodes;

/// <summary>
/// The built <c>brightline.dll</c> run as a separate process (<c>serve</c> or <c>dns</c>), configured by environment
/// on one shared database, as one node of an installation; its output is kept for failure messages.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return $"--- {Name} ---\n{_output}";
            }
        }
    }

    /// <summary>Starts <c>brightline {verb}</c> and returns once <paramref name="ready"/> says so, or throws with its output after a minute.</summary>
    public static async Task<NodeProcess> StartAsync(string name, DatabaseTarget database, IEnumerable<string> args, IDictionary<string, string> settings,
        Func<NodeProcess, Task<bool>> ready)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "brightline.dll"));
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["Brightline__Database__Provider"] = database.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        psi.Environment["Brightline__Database__ConnectionString"] = database.ConnectionString;
        psi.Environment["Brightline__Demo__Enabled"] = "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            psi.Environment[key] = value;
        }

        var node = new NodeProcess(Process.Start(psi)!, name);
        node._process.OutputDataReceived += (_, e) => node.Append(e.Data);
        node._process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !node._process.HasExited)
        {
            if (await ready(node))
            {
                return node;
            }

            await Task.Delay(200);
        }

        await node.DisposeAsync();
        throw new InvalidOperationException($"{name} did not become ready.\n{node.Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>A port free for both UDP and TCP on loopback a moment ago (the DNS node binds both).</summary>
    public static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            try
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (attempt < 20)
            {
                // Taken for UDP: try another.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Gone or going; nothing more to wait for.
            }
        }

        _process.Dispose();
    }
}
