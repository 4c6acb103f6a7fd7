namespace Brightline.Dns.Server;

/// <summary>Process-wide settings for a process whose only job is the DNS filter.</summary>
public static class DnsProcessTuning
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Runs socket completions on the runtime's own I/O (epoll) thread instead of handing each one to
    /// the thread pool. A filtering resolver does a few microseconds of CPU work per packet; with the
    /// hand-off, thread-pool workers spent a fifth of the time spinning in <c>sched_yield</c> waiting for
    /// work, and one core answered ~110 k queries/s; inline it answered ~174 k (docs/benchmarks.md).
    /// Must be called before the process opens its first socket (the runtime reads the variable once).
    /// Not for the portal process: there, a slow request continuation on the I/O thread would hold up
    /// every other connection.
    /// </summary>
    public static void EnableInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
