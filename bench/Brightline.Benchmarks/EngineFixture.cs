using System.Diagnostics;
using Brightline.Filtering;
using Brightline.Filtering.Lists;

namespace Brightline.Benchmarks;

/// <summary>One loaded engine: the generated list read with <see cref="PlainListReader"/> into one category, one pupil profile.</summary>
public sealed class EngineFixture
{
    public const string Profile = "bench-pupils";

    private EngineFixture(FilterSnapshot snapshot, TimeSpan loadTime, ListReport report)
    {
        Snapshot = snapshot;
        LoadTime = loadTime;
        Report = report;
    }

    public FilterSnapshot Snapshot { get; }

    public DomainSet Domains => Snapshot.Lists.Domains;

    public TimeSpan LoadTime { get; }

    public ListReport Report { get; }

    /// <summary>Reads and builds; the stopwatch covers file read, parse, normalise, insert, build and profile/snapshot validation.</summary>
    public static EngineFixture Load(string listPath, int capacityHint)
    {
        var watch = Stopwatch.StartNew();
        var builder = new CategoryListsBuilder(Path.GetFileName(listPath), capacityHint);
        ListReport report = PlainListReader.ReadFile(listPath, builder.For(Category.Gambling));
        CategoryLists lists = builder.Build();
        var profile = new FilterProfile(new FilterProfileDefinition
        {
            Name = Profile,
            BlockedCategories = Categories.DefaultPupilBlocked,
            SafeSearch = true,
            YouTube = YouTubeMode.Strict,
        });
        var snapshot = new FilterSnapshot(lists, [profile], new FilterSnapshotOptions { Version = "bench" });
        watch.Stop();
        return new EngineFixture(snapshot, watch.Elapsed, report);
    }
}
