using System.Runtime.CompilerServices;

namespace Brightline.Monitoring.Tests;

/// <summary>
/// Issue 16 part 6: the hand-written corpus of bench/detection parses — every data line has four
/// tab-separated fields with a known category and class — so the harness never silently drops or
/// mislabels a line. (The harness itself is run by bench/detection/run.sh, never by a test.)
/// </summary>
public sealed class DetectionCorpusTests
{
    private static readonly string[] s_harmfulCategories =
        ["self-harm", "grooming", "extremism", "bullying", "violence", "sexual-content", "drugs", "hate", "gambling", "profanity"];

    private static readonly string[] s_harmfulClasses = ["text-speak", "plain-unlisted", "language"];

    private static readonly string[] s_cleanClasses = ["school", "innocent-use", "safeguarding-lesson", "pupil-chat"];

    [Fact]
    public void CorpusFiles_EveryLine_HasAKnownCategoryClassAndLanguage()
    {
        var folder = Path.Combine(RepositoryRoot(), "bench", "detection", "corpus");
        var files = Directory.GetFiles(folder, "*.tsv");
        files.Length.ShouldBeGreaterThanOrEqualTo(4);
        var problems = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var fields = line.Split('\t');
                var where = $"{Path.GetFileName(file)}:{number}";
                if (fields.Length != 4 || fields[3].Trim().Length == 0)
                {
                    problems.Add($"{where}: {fields.Length} fields");
                    continue;
                }

                var known = fields[0] == "clean" ? s_cleanClasses.Contains(fields[1]) : s_harmfulCategories.Contains(fields[0]) && s_harmfulClasses.Contains(fields[1]);
                if (!known || fields[2].Length is < 2 or > 8)
                {
                    problems.Add($"{where}: unknown category/class/language '{fields[0]}'/'{fields[1]}'/'{fields[2]}'");
                }

                var key = fields[0] == "clean" ? "clean" : fields[1];
                counts[key] = counts.GetValueOrDefault(key) + 1;
                texts.Add(fields[3]);
            }
        }

        problems.ShouldBeEmpty();
        counts["clean"].ShouldBeGreaterThanOrEqualTo(800);
        counts["text-speak"].ShouldBeGreaterThanOrEqualTo(160);
        // The lines issue 16 names are in the corpus, word for word.
        texts.ShouldContain("unalive myself");
        texts.ShouldContain("bringin a blade 2 skool");
        texts.ShouldContain("ladd fy hun");
        texts.ShouldContain("myślę o samobójstwie");
        texts.ShouldContain("I want to die my hair purple for the summer holidays.");
    }

    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { Environment.GetEnvironmentVariable("BRIGHTLINE_REPO"), Path.GetDirectoryName(source), Directory.GetCurrentDirectory() })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Brightline.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Brightline.slnx not found above BRIGHTLINE_REPO, the test sources or the working directory.");
    }
}
