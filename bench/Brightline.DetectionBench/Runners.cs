using System.Diagnostics;
using System.Globalization;
using Brightline.Monitoring;

namespace Brightline.DetectionBench;

/// <summary>What one runner said about every line: caught at all, the categories it named (empty when it has none), and how fast.</summary>
public sealed record RunnerResult(string Name, bool[] Caught, string[]?[] Categories, long Chars, double Seconds)
{
    public bool HasCategories => Categories.Any(c => c is not null);

    public double CharsPerSecond => Seconds > 0 ? Chars / Seconds : 0;
}

public static class Runners
{
    /// <summary>Brightline: the shipped libraries (PhraseMatcher.BuiltIn); caught = a hit with positive effective weight.</summary>
    public static RunnerResult Brightline(IReadOnlyList<LabelledLine> lines) => RunMatcher("brightline", PhraseMatcher.BuiltIn, lines, effective: true);

    /// <summary>
    /// e2guardian's lists: every file of the tree imported with E2GuardianImporter.ImportTree (with
    /// the issue-16 encoding fix and guards), compiled in MatchMode.Raw — phrases lower-cased, no
    /// normalisation, matched case-insensitively on the original characters, whole-word only at an
    /// end the list marks with a space inside <c>&lt; &gt;</c>, combinations anywhere in the line.
    /// A line is caught when any positive-weight phrase or combination matches (e2guardian's
    /// naughtiness limit and its good-phrase offsets are not applied).
    /// </summary>
    public static RunnerResult E2Guardian(string root, IReadOnlyList<LabelledLine> lines)
    {
        var import = E2GuardianImporter.ImportTree(root);
        var matcher = PhraseMatcher.Compile(import.Library, MatchMode.Raw);
        return RunMatcher("e2guardian", matcher, lines, effective: false);
    }

    private static RunnerResult RunMatcher(string name, PhraseMatcher matcher, IReadOnlyList<LabelledLine> lines, bool effective)
    {
        var caught = new bool[lines.Count];
        var categories = new string[]?[lines.Count];
        matcher.Scan("warm up the per-thread buffers");
        long chars = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < lines.Count; i++)
        {
            var text = lines[i].Text;
            chars += text.Length;
            var result = matcher.Scan(text);
            string[]? found = null;
            foreach (var hit in result.Hits)
            {
                if (hit.Kind != HitKind.Exception && (effective ? hit.EffectiveWeight : hit.Weight) > 0)
                {
                    found = found is null ? [hit.Category] : found.Contains(hit.Category) ? found : [.. found, hit.Category];
                }
            }

            caught[i] = found is not null;
            categories[i] = found ?? [];
        }

        watch.Stop();
        return new RunnerResult(name, caught, categories, chars, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The obscenity npm package: <c>node obscenity-runner.js</c> in <paramref name="benchDir"/>, lines
    /// on stdin (a line break inside a line sent as a literal <c>\n</c>), one 0/1 per line back,
    /// then its own matching time. Obscenity has no categories (profanity only).
    /// </summary>
    public static RunnerResult Obscenity(string benchDir, IReadOnlyList<LabelledLine> lines)
    {
        var info = new ProcessStartInfo("node", "obscenity-runner.js")
        {
            WorkingDirectory = benchDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Cannot start node.");
        var reader = Task.Run(() => process.StandardOutput.ReadToEnd());
        using (var stdin = new StreamWriter(process.StandardInput.BaseStream, new System.Text.UTF8Encoding(false)))
        {
            foreach (var line in lines)
            {
                stdin.Write(line.Text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
                stdin.Write('\n');
            }
        }

        var output = reader.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Length != lines.Count + 1)
        {
            throw new InvalidOperationException($"obscenity runner failed (exit {process.ExitCode}, {output.Length} lines for {lines.Count}).");
        }

        var caught = output.Take(lines.Count).Select(o => o == "1").ToArray();
        var tail = output[^1].Split(' ');
        return new RunnerResult("obscenity", caught, new string[]?[lines.Count], long.Parse(tail[1], CultureInfo.InvariantCulture), double.Parse(tail[2], CultureInfo.InvariantCulture));
    }
}
