using System.CommandLine;
using Brightline.Monitoring;

namespace Brightline.Safeguarding;

/// <summary>`brightline monitor scan FILE|-`: what the safeguarding matcher finds in a text, with positions.</summary>
public static class MonitorCommands
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A text file, or - for standard input." };
        var raw = new Option<bool>("--raw") { Description = "Match without normalisation (case-insensitive only)." };
        var scan = new Command("scan", "Print each phrase hit: category, phrase, weight, line:col and the original text.") { file, raw };
        scan.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (path != "-" && !File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"{path}: file not found");
                return 2;
            }

            var text = path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
            var matcher = parse.GetValue(raw) ? PhraseMatcher.Compile(PhraseLibrary.BuiltIn(), MatchMode.Raw) : PhraseMatcher.BuiltIn;
            var result = matcher.Scan(text);
            MonitorScanReport.Write(Console.Out, result, text);
            return result.Hits.Count > 0 ? 1 : 0;
        });
        return new Command("monitor", "Safeguarding monitoring.") { scan };
    }
}
