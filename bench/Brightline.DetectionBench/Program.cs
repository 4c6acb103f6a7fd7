using System.Globalization;
using System.Text;
using Brightline.DetectionBench;
using Brightline.Monitoring;

// bench/detection/run.sh runs this: dotnet Brightline.DetectionBench.dll <bench/detection dir> <results dir>
// [seed] [per-class] [doc-lines]. Every input is built first, then each runner sees the same lines.
var benchDir = Path.GetFullPath(args.Length > 0 ? args[0] : "bench/detection");
var outDir = Path.GetFullPath(args.Length > 1 ? args[1] : "bench/results/detection");
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20261203;
var perClass = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 150;
var docLines = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 3000;
const string WordList = "/usr/share/dict/british-english";
const string E2GuardianRoot = "/etc/e2guardian/lists/phraselists";
Directory.CreateDirectory(outDir);

// Genuine swear words of the word list, reviewed in tests/Brightline.Monitoring.Tests/DictionaryTests.cs
// (s_profaneDictionaryWords): dictionary hits on these are reported apart, not as false positives.
string[] profaneWords =
[
    "arsehole", "arsehole's", "arseholes", "bastard", "bastard's", "bastards", "bitch", "bitches",
    "bullshit", "cunt", "cunt's", "cunts", "fuck", "fuck's", "fucked", "fucker", "fucker's", "fuckers",
    "fucking", "fucks", "motherfucker", "motherfucker's", "motherfuckers", "shit", "shit's", "shits", "shitty",
    "slut", "slut's", "sluts", "wank", "wanking", "whore", "whore's", "whores",
];

var lines = new List<LabelledLine>();
lines.AddRange(EvasionGenerator.Generate(PhraseLibrary.BuiltIn(), perClass, seed));
foreach (var file in Directory.GetFiles(Path.Combine(benchDir, "corpus"), "*.tsv").Order(StringComparer.Ordinal))
{
    lines.AddRange(Corpora.ReadFile(file));
}

lines.AddRange(Corpora.Dictionary(WordList));
lines.AddRange(Corpora.DocProse("/usr/share/doc", docLines, seed));
Console.WriteLine($"{lines.Count} lines: {lines.Count(l => l.IsHarmful)} harmful, {lines.Count(l => !l.IsHarmful)} clean");

var runners = new List<RunnerResult>();
foreach (var (name, run) in new (string, Func<RunnerResult>)[]
{
    ("brightline", () => Runners.Brightline(lines)),
    ("e2guardian", () => Runners.E2Guardian(E2GuardianRoot, lines)),
    ("obscenity", () => Runners.Obscenity(benchDir, lines)),
})
{
    var started = DateTime.UtcNow;
    runners.Add(run());
    Console.WriteLine($"{name}: {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
}

var inv = CultureInfo.InvariantCulture;
var md = new StringBuilder();
var header = new List<string> { "group", "lines" };
foreach (var r in runners)
{
    if (r.HasCategories)
    {
        header.Add(r.Name + " (right category)");
    }

    header.Add(r.Name + " (any category)");
}

bool RightCategory(RunnerResult r, int i) => r.Categories[i] is { } c && c.Contains(lines[i].Category);

List<string> RecallRow(string group, IReadOnlyList<int> idx)
{
    var row = new List<string> { group, idx.Count.ToString(inv) };
    foreach (var r in runners)
    {
        if (r.HasCategories)
        {
            row.Add(Corpora.Percent(idx.Count(i => RightCategory(r, i)), idx.Count));
        }

        row.Add(Corpora.Percent(idx.Count(i => r.Caught[i]), idx.Count));
    }

    return row;
}

void WriteTable(string file, string title, List<string> head, List<List<string>> rows, string? note = null)
{
    File.WriteAllLines(Path.Combine(outDir, file), new[] { string.Join('\t', head) }.Concat(rows.Select(r => string.Join('\t', r))));
    md.AppendLine(CultureInfo.InvariantCulture, $"### {title}").AppendLine();
    if (note is not null)
    {
        md.AppendLine(note).AppendLine();
    }

    md.AppendLine("| " + string.Join(" | ", head) + " |");
    md.AppendLine("|" + string.Concat(head.Select((_, i) => i == 0 ? "---|" : "--:|")));
    foreach (var row in rows)
    {
        md.AppendLine("| " + string.Join(" | ", row) + " |");
    }

    md.AppendLine();
}

var all = Enumerable.Range(0, lines.Count).ToArray();
var harmful = all.Where(i => lines[i].IsHarmful).ToArray();
var evasion = harmful.Where(i => lines[i].Corpus == "evasion").ToArray();

// Summary: the targets.
var summary = new List<List<string>>
{
    RecallRow("evasion classes except reversed", evasion.Where(i => lines[i].Class != EvasionGenerator.Reversed).ToArray()),
    RecallRow("text-speak and slang (hand-written)", harmful.Where(i => lines[i].Class == "text-speak").ToArray()),
    RecallRow("plain wording not in the libraries (hand-written)", harmful.Where(i => lines[i].Class == "plain-unlisted").ToArray()),
    RecallRow("other languages (hand-written)", harmful.Where(i => lines[i].Class == "language").ToArray()),
    RecallRow("all harmful lines except reversed", harmful.Where(i => lines[i].Class != EvasionGenerator.Reversed).ToArray()),
};
WriteTable("summary.tsv", "Recall: summary", header, summary);

WriteTable("recall-by-class.tsv", "Recall per evasion class (generated from the shipped libraries)", header,
    EvasionGenerator.Classes.Select(c => RecallRow(c + (c == EvasionGenerator.Reversed ? " (not in target)" : string.Empty), evasion.Where(i => lines[i].Class == c).ToArray())).ToList());

WriteTable("recall-by-category.tsv", "Recall per category (every harmful line except reversed)", header,
    harmful.Where(i => lines[i].Class != EvasionGenerator.Reversed).GroupBy(i => lines[i].Category).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => RecallRow(g.Key, g.ToArray())).ToList());

WriteTable("recall-by-language.tsv", "Recall per language (every harmful line except reversed)", header,
    harmful.Where(i => lines[i].Class != EvasionGenerator.Reversed).GroupBy(i => lines[i].Language).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => RecallRow(g.Key, g.ToArray())).ToList());

// False positives: a clean line any category flags.
var fpHead = new List<string> { "clean corpus", "lines" };
fpHead.AddRange(runners.Select(r => r.Name));
var fpRows = new List<List<string>>();
var profane = new HashSet<string>(profaneWords, StringComparer.Ordinal);
foreach (var group in all.Where(i => !lines[i].IsHarmful).GroupBy(i => lines[i].Class).OrderBy(g => g.Key, StringComparer.Ordinal))
{
    var idx = group.ToArray();
    if (group.Key == "dictionary")
    {
        var ordinary = idx.Where(i => !profane.Contains(lines[i].Text)).ToArray();
        var swear = idx.Where(i => profane.Contains(lines[i].Text)).ToArray();
        fpRows.Add(["dictionary words (genuine profanity aside)", ordinary.Length.ToString(inv), .. runners.Select(r => $"{ordinary.Count(i => r.Caught[i])} ({Corpora.Percent(ordinary.Count(i => r.Caught[i]), ordinary.Length)})")]);
        fpRows.Add(["dictionary: reviewed swear words (true positives)", swear.Length.ToString(inv), .. runners.Select(r => $"{swear.Count(i => r.Caught[i])} of {swear.Length}")]);
    }
    else
    {
        fpRows.Add([group.Key, idx.Length.ToString(inv), .. runners.Select(r => $"{idx.Count(i => r.Caught[i])} ({Corpora.Percent(idx.Count(i => r.Caught[i]), idx.Length)})")]);
    }
}

var sentences = all.Where(i => !lines[i].IsHarmful && lines[i].Corpus == "clean-school").ToArray();
fpRows.Add(["all ordinary school sentences", sentences.Length.ToString(inv), .. runners.Select(r => $"{sentences.Count(i => r.Caught[i])} ({Corpora.Percent(sentences.Count(i => r.Caught[i]), sentences.Length)})")]);
WriteTable("false-positives.tsv", "False positives per clean corpus (a line flagged in any category)", fpHead, fpRows);

var tpHead = new List<string> { "runner", "characters", "seconds", "characters/s" };
WriteTable("throughput.tsv", "Throughput (matching only, one thread, every line of the run)", tpHead,
    runners.Select(r => new List<string> { r.Name, r.Chars.ToString(inv), r.Seconds.ToString("0.000", inv), r.CharsPerSecond.ToString("N0", inv) }).ToList(),
    "Per-line calls on short lines (a word, a sentence), so far below the bulk-scan figure of bench/monitoring; obscenity is timed inside node.");

// Every labelled line with each runner's verdict, for reading the misses.
using (var writer = new StreamWriter(Path.Combine(outDir, "lines.tsv"), false, new UTF8Encoding(false)))
{
    writer.WriteLine("corpus\tcategory\tlanguage\tclass\tsource\ttext\t" + string.Join('\t', runners.Select(r => r.Name)));
    foreach (var i in all.Where(i => lines[i].IsHarmful || runners.Any(r => r.Caught[i])))
    {
        var l = lines[i];
        writer.WriteLine(string.Join('\t', l.Corpus, l.Category, l.Language, l.Class, l.Source, l.Text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", " ", StringComparison.Ordinal),
            string.Join('\t', runners.Select(r => r.Caught[i] ? (r.Categories[i] is { Length: > 0 } c ? string.Join(',', c) : "1") : "0"))));
    }
}

File.WriteAllText(Path.Combine(outDir, "detection.md"), md.ToString());
Console.Write(md.ToString());
