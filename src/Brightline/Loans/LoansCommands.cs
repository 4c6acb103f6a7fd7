using System.CommandLine;
using Brightline.Devices;
using Brightline.Kernel;

namespace Brightline.Loans;

/// <summary><c>brightline loans list|export [--overdue] [--school …]</c>: the loan book (C15) from the command line, every loan or the overdue ones.</summary>
public static class LoansCommands
{
    public static Command Create(CliServices cli)
    {
        var school = new Option<string?>("--school") { Description = "School id (needed when the installation has several)." };
        var overdue = new Option<bool>("--overdue") { Description = "Only loans still out after their due time." };
        var list = new Command("list", "List the loan book, newest first (overdue: the most overdue first): device, borrower, out, due, returned or outcome.") { overdue, school };
        list.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), async (sp, schoolId) =>
        {
            var count = 0;
            await foreach (var r in sp.GetRequiredService<LoanBook>().ExportAsync(schoolId, Query(parse.GetValue(overdue)), cancellationToken))
            {
                count++;
                var back = r.Loan.ReturnedAt is { } at ? $"{r.OutcomeText ?? "returned"} {UkFormat.ShortDateTime(at)}" : "out";
                await Console.Out.WriteLineAsync($"{UkFormat.ShortDateTime(r.Loan.OutAt),-16}  due {UkFormat.ShortDateTime(r.Loan.DueAt),-16}  {back,-28}  {LoanLabel(r)}  to {r.Borrower}: {r.Loan.Purpose}");
            }

            await Console.Out.WriteLineAsync(UkFormat.Plural(count, "loan", "loans") + ".");
            return 0;
        }, cancellationToken));

        var output = CsvExportOutput.Option();
        var export = new Command("export", "Export the loan book (or the overdue loans) as CSV: the portal's columns, UK times, names not IDs.") { overdue, output, school };
        export.SetAction(async (parse, cancellationToken) => await DevicesCommands.RunAsync(cli, parse.GetValue(school), (sp, schoolId) =>
            CsvExportOutput.WriteAsync(parse.GetValue(output), async writer => UkFormat.Plural(
                await CsvExportOutput.WriteRowsAsync(writer, LoanCsvRows.Header(), sp.GetRequiredService<LoanBook>().ExportAsync(schoolId, Query(parse.GetValue(overdue)), cancellationToken),
                    LoanCsvRows.Line, cancellationToken), "loan", "loans"), cancellationToken), cancellationToken));

        return new Command("loans", "The loan book (C15; docs/devices.md).") { list, export };
    }

    private static LoanQuery Query(bool overdue) => new(overdue ? LoanFilters.Overdue : LoanFilters.All, null, null, null, null, 1);

    private static string LoanLabel(LoanRow r) => r.AssetTag is { } tag ? $"{r.DeviceName} ({tag})" : r.DeviceName;
}
