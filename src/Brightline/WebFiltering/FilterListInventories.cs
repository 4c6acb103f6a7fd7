using System.Globalization;
using System.Runtime.CompilerServices;
using Brightline.Filtering;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;

namespace Brightline.WebFiltering;

/// <summary>
/// Reads each list a school's policy names once more, counting domains, exact hosts and URL prefixes
/// (the compiled <see cref="DomainSet"/> only knows distinct names). Cached per compiled snapshot, so a
/// list is re-read only after the filter is recompiled, never on every page view.
/// </summary>
public static class FilterListInventories
{
    /// <summary>Problems shown per list; the rest are counted.</summary>
    public const int MaxProblemsShown = 20;

    private static readonly ConditionalWeakTable<FilterSnapshot, FilterListInventory> s_cache = [];

    public static FilterListInventory For(SchoolFilter filter, string listRoot)
    {
        var snapshot = filter.Engine.Current;
        return s_cache.GetValue(snapshot, _ => Read(filter.Policy.Filtering, listRoot));
    }

    public static FilterListInventory Read(FilteringPolicy filtering, string listRoot)
    {
        var rows = new List<FilterListRow>();
        foreach (var list in filtering.Lists)
        {
            var path = System.IO.Path.IsPathRooted(list.Path) ? list.Path : System.IO.Path.GetFullPath(System.IO.Path.Combine(listRoot, list.Path));
            if (list.Format == FilterListFormat.Squidguard)
            {
                if (!Directory.Exists(path))
                {
                    rows.Add(Missing(list, path, "not found (a squidguard folder tree); it was not loaded"));
                    continue;
                }

                var builder = new CategoryListsBuilder(list.Name);
                var report = SquidGuardDirectoryReader.Read(path, builder);
                var problems = report.Files.SelectMany(f => f.Problems).ToList();
                var unmapped = report.UnmappedFolders.Select(f => $"{path}: folder '{f}' has no category; it was not read");
                rows.Add(new FilterListRow(list.Name, list.Format, path, list.Category, true, builder.DomainCount, 0, builder.UrlCount,
                    report.Files.Sum(f => f.Lines), report.Files.Sum(f => f.ProblemCount) + report.UnmappedFolders.Count,
                    unmapped.Concat(problems.Take(MaxProblemsShown).Select(Describe)).Take(MaxProblemsShown).ToList()));
                continue;
            }

            if (!File.Exists(path))
            {
                rows.Add(Missing(list, path, "not found; it was not loaded"));
                continue;
            }

            if (list.Category is null || !Categories.TryParse(list.Category, out _))
            {
                rows.Add(Missing(list, path, "has no valid category; it was not loaded") with { Found = true });
                continue;
            }

            var sink = new CountingSink();
            var listReport = FilterListFiles.Read(list.Format, path, sink);
            rows.Add(new FilterListRow(list.Name, list.Format, path, list.Category, true, sink.Domains, sink.ExactHosts, sink.UrlPrefixes,
                listReport.Lines, listReport.ProblemCount, listReport.Problems.Take(MaxProblemsShown).Select(Describe).ToList()));
        }

        return new FilterListInventory(rows);
    }

    private static FilterListRow Missing(FilterListSource list, string path, string message) =>
        new(list.Name, list.Format, path, list.Category, false, 0, 0, 0, 0, 1, [$"{path}: list '{list.Name}' {message}"]);

    private static string Describe(ListProblem p) => string.Create(CultureInfo.InvariantCulture, $"{p.Source}:{p.Line}: {p.Message} ('{p.Text}')");


    private sealed class CountingSink : IListSink
    {
        public long Domains { get; private set; }

        public long ExactHosts { get; private set; }

        public long UrlPrefixes { get; private set; }

        public void AddDomain(ReadOnlySpan<byte> normalisedName) => Domains++;

        public void AddExactHost(ReadOnlySpan<byte> normalisedName) => ExactHosts++;

        public void AddUrlPrefix(ReadOnlySpan<byte> normalisedHost, string pathPrefix) => UrlPrefixes++;
    }
}
