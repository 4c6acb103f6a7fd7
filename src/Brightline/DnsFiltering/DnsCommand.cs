using System.CommandLine;
using System.Globalization;
using System.Text;
using Brightline.Access;
using Brightline.Data;
using Brightline.DnsFiltering;
using Brightline.Kernel;
using Brightline.Policies;

using Brightline.Filtering;

namespace Brightline.DnsFiltering;

/// <summary>`brightline dns`: the filtering DNS server alone, without the portal.</summary>
public static class DnsCommand
{
    public static Command Create(CliServices cli)
    {
        var command = new Command("dns", "Run the filtering DNS server alone (listens where the policy or Brightline:Dns:Listen says; default 127.0.0.1:5353).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = await cli.BuildAsync([], cancellationToken);
            var host = app.Services.GetRequiredService<DnsHost>();
            // Sanctions, approvals, signatures and sign-ins made in the portal reach this process through the database.
            var changes = app.Services.GetRequiredService<AccessChanges.AccessChangeReader>();
            await changes.StartAsync(cancellationToken);
            await host.StartAsync(force: true, cancellationToken);
            await Console.Out.WriteLineAsync($"DNS filter listening on {string.Join(", ", host.EndPoints)} (Ctrl+C to stop)");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: fall through to a clean stop.
            }

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stopping.Token);
            await changes.StopAsync(stopping.Token);
            return 0;
        });
        return command;
    }
}
