using Brightline.Hosting;

// `brightline` with no verb serves the portal (what `dotnet run --project src/Brightline` does);
// the verbs (policy, people, access, audit …) are listed in Cli/BrightlineCli.cs.
// A process that is only the DNS filter answers queries on the socket I/O thread and keeps its thread pool from
// spin-waiting; set before any socket opens and before the pool starts.
if (args.Length > 0 && string.Equals(args[0], "dns", StringComparison.Ordinal))
{
    Brightline.Dns.Server.DnsProcessTuning.EnableInlineSocketCompletions();
    Brightline.Dns.Server.DnsProcessTuning.StopThreadPoolSpinning();
}

return await BrightlineCli.RunAsync(args);
