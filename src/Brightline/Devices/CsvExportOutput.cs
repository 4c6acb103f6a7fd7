using System.CommandLine;
using Brightline.Kernel;

namespace Brightline.Devices;

/// <summary>
/// The one way the devices' CLI export verbs (register, loans, requests, lost property, leavers) write their CSV: to
/// <c>--output FILE</c> or standard output, flushed, and — for a file — a line on standard error saying what was
/// written where, so the CSV on standard output stays clean for a pipe.
/// </summary>
public static class CsvExportOutput
{
    /// <summary>The verbs' shared <c>--output</c> option.</summary>
    public static Option<string?> Option() => new("--output") { Description = "Write the CSV to this file instead of standard output." };

    /// <summary>
    /// Runs <paramref name="write"/> against the file or standard output. It returns what it wrote in words ("3 loans"),
    /// or null for the plain "Written to FILE."
    /// </summary>
    public static async Task<int> WriteAsync(string? path, Func<TextWriter, Task<string?>> write, CancellationToken cancellationToken)
    {
        await using var file = path is null ? null : new StreamWriter(path);
        var writer = (TextWriter?)file ?? Console.Out;
        var what = await write(writer);
        await writer.FlushAsync(cancellationToken);
        if (path is not null)
        {
            await Console.Error.WriteLineAsync(what is null ? $"Written to {path}." : $"{what} written to {path}.");
        }

        return 0;
    }

    /// <summary>Streams a header and one line per row (an export too large to hold as one string); returns the count.</summary>
    public static async Task<int> WriteRowsAsync<T>(TextWriter writer, string header, IAsyncEnumerable<T> rows, Func<T, string> line, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(header);
        var count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            count++;
            await writer.WriteAsync(line(row));
        }

        return count;
    }
}
