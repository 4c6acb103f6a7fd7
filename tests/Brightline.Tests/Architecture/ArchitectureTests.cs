using System.Text.RegularExpressions;
using Brightline.Hosting;
using Brightline.Kernel;
using Brightline.Testing;

namespace Brightline.Tests.Architecture;

/// <summary>
/// The host's layout rules (issue 11, docs/architecture.md): one feature = one folder = one namespace = one module;
/// no cycle between features; the kernel uses no feature and no feature uses the composition root; every type in a
/// file named after it. Read from the compiled assembly and the source tree, so a new file is checked as it lands.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string s_host = Path.Combine(RepositoryRoot.Path, "src", "Brightline");

    // Folders of the host that are not features: Razor pages (each Pages/X belongs to feature X), build output.
    private static readonly string[] s_notFeatures = ["Pages", "bin", "obj", "wwwroot", "Properties"];

    [Fact]
    public void Features_DependOnEachOther_WithoutCycles()
    {
        var edges = FeatureDependencies.Read(typeof(FeatureModules).Assembly);
        var cycles = FeatureDependencies.Cycles(edges);

        cycles.ShouldBeEmpty(string.Join("\n", cycles.Select(group => string.Join(" ↔ ", group) + ": " + string.Join("; ",
            group.SelectMany(from => edges[from].Where(e => group.Contains(e.Key)).Select(e => $"{from} → {e.Key} ({string.Join(", ", e.Value)})"))))));
    }

    [Fact]
    public void Kernel_UsesNoFeature_AndNoFeatureUsesTheCompositionRootOrAPage()
    {
        var edges = FeatureDependencies.Read(typeof(FeatureModules).Assembly);

        edges.GetValueOrDefault(FeatureDependencies.Kernel)?.Keys.ShouldBeEmpty("the kernel uses: " +
            string.Join("; ", edges[FeatureDependencies.Kernel].Select(e => $"{e.Key} ({string.Join(", ", e.Value)})")));
        var intoRoot = edges.Where(e => e.Value.ContainsKey(FeatureDependencies.CompositionRoot)).Select(e => e.Key).ToList();
        intoRoot.ShouldBeEmpty("these features use Hosting (the composition root)");
        var intoPages = edges.Where(e => !e.Key.StartsWith("Pages", StringComparison.Ordinal))
            .SelectMany(e => e.Value.Where(t => t.Key.StartsWith("Pages", StringComparison.Ordinal)).Select(t => $"{e.Key} → {t.Key} ({string.Join(", ", t.Value)})"))
            .ToList();
        intoPages.ShouldBeEmpty("a feature uses a page (pages are the layer above every feature)");
    }

    [Fact]
    public void ArchitecturePage_ShowsTheFeatureDependenciesAsBuilt()
    {
        var edges = FeatureDependencies.Read(typeof(FeatureModules).Assembly);
        var features = FeatureModules.All.Select(m => m.GetType().Namespace!["Brightline.".Length..]).Order(StringComparer.Ordinal);
        var expected = string.Join("\n", features.Select(f =>
        {
            var uses = edges.GetValueOrDefault(f)?.Keys.Where(k => !string.Equals(k, FeatureDependencies.Kernel, StringComparison.Ordinal)).ToList() ?? [];
            return $"| `{f}` | {(uses.Count == 0 ? "—" : string.Join(", ", uses))} |";
        }));
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "architecture.md"));
        const string begin = "<!-- feature-dependencies:begin -->";
        const string end = "<!-- feature-dependencies:end -->";
        var from = page.IndexOf(begin, StringComparison.Ordinal);
        var to = page.IndexOf(end, StringComparison.Ordinal);
        (from >= 0 && to > from).ShouldBeTrue($"docs/architecture.md needs the table between {begin} and {end}");
        var table = page[(from + begin.Length)..to].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal));

        string.Join("\n", table).ShouldBe(expected, "docs/architecture.md's dependency table differs from the build; its rows should be:\n" + expected);
    }

    [Fact]
    public void EveryFeatureFolder_HasOneModule_ListedInFeatureModules()
    {
        var listed = FeatureModules.All.Select(m => m.GetType()).ToList();
        listed.Select(t => t.FullName).ShouldBeUnique();
        var folders = Directory.GetDirectories(s_host).Select(Path.GetFileName).OfType<string>()
            .Where(f => !s_notFeatures.Contains(f, StringComparer.Ordinal)
                && !string.Equals(f, FeatureDependencies.Kernel, StringComparison.Ordinal)
                && !string.Equals(f, FeatureDependencies.CompositionRoot, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

        foreach (var folder in folders)
        {
            var modules = typeof(FeatureModules).Assembly.GetTypes()
                .Where(t => typeof(IFeatureModule).IsAssignableFrom(t) && !t.IsInterface && string.Equals(t.Namespace, "Brightline." + folder, StringComparison.Ordinal))
                .ToList();
            modules.Count.ShouldBe(1, $"feature folder {folder}/ should have exactly one IFeatureModule");
            modules[0].Name.ShouldBe(folder + "Module");
            listed.ShouldContain(modules[0], $"{modules[0].Name} is not in Hosting/FeatureModules.All");
        }

        listed.Select(t => t.Namespace!["Brightline.".Length..]).Order(StringComparer.Ordinal).ShouldBe(folders);
    }

    [Fact]
    public void PagesFolders_AreNamedAsTheFeatures()
    {
        var features = Directory.GetDirectories(s_host).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var pages = Directory.GetDirectories(Path.Combine(s_host, "Pages")).Select(Path.GetFileName).OfType<string>()
            .Where(f => !string.Equals(f, "Shared", StringComparison.Ordinal));

        pages.Where(p => !features.Contains(p)).ShouldBeEmpty("Pages folders that are not named after a feature folder");
    }

    [Fact]
    public void EveryType_IsInAFileNamedAfterIt()
    {
        var misplaced = new List<string>();
        foreach (var file in Directory.EnumerateFiles(s_host, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, file);
            if (relative.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || relative.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            // A page's model lives beside its page: Index.cshtml.cs holds IndexModel.
            var name = Path.GetFileName(file);
            var expected = name.EndsWith(".cshtml.cs", StringComparison.Ordinal) ? name[..^".cshtml.cs".Length] + "Model" : name[..^".cs".Length];
            foreach (Match m in TopLevelType().Matches(File.ReadAllText(file)))
            {
                if (!string.Equals(m.Groups["name"].Value, expected, StringComparison.Ordinal))
                {
                    misplaced.Add($"{relative}: {m.Groups["name"].Value}");
                }
            }
        }

        misplaced.ShouldBeEmpty();
    }

    // A type declared at the start of a line (file-scoped namespaces put top-level types there; nested ones are indented).
    [GeneratedRegex(@"^(?:public |internal )?(?:static |sealed |abstract |partial |readonly )*(?:class|record struct|record|struct|interface|enum) (?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();
}
