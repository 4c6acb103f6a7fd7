using Brightline.Kernel;
using System.CommandLine;
using Brightline.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Audit;

/// <summary>`brightline audit verify`: proves no audit entry was altered or removed.</summary>
public static class AuditCommands
{
    public static Command Create(CliServices cli)
    {
        var verify = new Command("verify", "Check the audit log's hash chain; exits 1 if any entry was altered or removed.");
        verify.SetAction(async (_, cancellationToken) =>
        {
            await using var scope = await cli.CreateScopeAsync(cancellationToken);
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var result = await AuditVerifier.VerifyAsync(db, cancellationToken);
            foreach (var problem in result.Problems)
            {
                await Console.Error.WriteLineAsync(problem);
            }

            await Console.Out.WriteLineAsync(result.Intact
                ? $"Audit log intact: {result.Checked} entries checked."
                : $"Audit log BROKEN: {result.Problems.Count} problem(s) in {result.Checked} entries.");
            return result.Intact ? 0 : 1;
        });
        return new Command("audit", "The hash-chained audit log.") { verify };
    }
}
