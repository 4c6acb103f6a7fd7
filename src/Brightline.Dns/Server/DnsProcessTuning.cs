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

    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>
    /// Thread-pool workers that run out of work spin (calling <c>sched_yield</c>) before they sleep, betting that more
    /// work comes at once. A DNS process answers on its own receive threads; its pool runs a decision-log batch a few
    /// times a second and the odd timer, so every one of those bets is lost: at 1,000 queries/s the spinning was a fifth
    /// of the process's CPU (issue 18 part 5, `bench/dns/cpu.sh PERF=1`). Must be called before the pool starts its
    /// first worker (it reads the setting once); an operator's <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c> wins.
    /// </summary>
    public static void StopThreadPoolSpinning()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is null && AppContext.GetData(SpinLimit) is null)
        {
            AppContext.SetData(SpinLimit, 0);
        }
    }
}
