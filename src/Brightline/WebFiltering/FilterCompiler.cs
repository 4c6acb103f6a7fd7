using System.Globalization;
using Brightline.Filtering;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;
using FilterOverride = Brightline.Data.Entities.FilterOverride;
using FilterOverrideAction = Brightline.Data.Entities.FilterOverrideAction;

namespace Brightline.WebFiltering;

/// <summary>
/// SchoolPolicy.Filtering (+ the lists it names, read from disk) → a <see cref="FilterSnapshot"/> with
/// one profile per group. Never throws for bad content: a missing list, a bad line or a profile the
/// engine refuses (an allow entry for an illegal name) becomes a problem, and the rest still compiles,
/// because a school with one broken list must still be filtered by the others.
/// </summary>
public static class FilterCompiler
{
    /// <summary>At most this many problems per list are reported; the rest are counted.</summary>
    private const int MaxProblemsPerList = 20;

    public static FilterCompilation Compile(SchoolPolicy policy, string listRoot, string version, TimeZoneInfo? timeZone = null) =>
        Compile(policy, listRoot, version, [], timeZone);

    /// <summary>
    /// As above, with the school-local allow/deny entries approved in the portal (<see cref="FilterOverride"/>)
    /// added to their profiles' lists after the policy's own. Withdrawn entries are left out; expired ones
    /// are kept (the engine ignores them after their expiry, so the answer changes without a recompile).
    /// An override the engine refuses (an allow for an illegal name) is dropped and reported, never the profile.
    /// </summary>
    /// <remarks>
    /// <paramref name="reuse"/>: lists already loaded for this same policy version. An approved unblock
    /// or reported miss changes only the profiles, so recompiling for it must not re-read (possibly
    /// millions of) list lines from disk; the lists are immutable and shared by both snapshots.
    /// </remarks>
    public static FilterCompilation Compile(SchoolPolicy policy, string listRoot, string version, IReadOnlyList<FilterOverride> overrides, TimeZoneInfo? timeZone = null, LoadedLists? reuse = null)
    {
        var problems = new List<string>();
        var filtering = policy.Filtering;
        var options = new FilterSnapshotOptions { Calendar = Calendar(policy.School.Calendar), Version = version };
        if (timeZone is not null)
        {
            options = options with { TimeZone = timeZone };
        }

        if (reuse is null)
        {
            var listProblems = new List<string>();
            var (loaded, loadedSizes) = LoadLists(filtering, listRoot, listProblems);
            reuse = new LoadedLists(loaded, loadedSizes, listProblems);
        }

        var (lists, sizes) = (reuse.Lists, reuse.Sizes);
        problems.AddRange(reuse.Problems);
        var profiles = new List<FilterProfile>();
        foreach (var p in filtering.Profiles)
        {
            var group = policy.FindGroup(p.Group);
            try
            {
                var definition = Definition(p, group, options.TimeZone);
                var local = overrides.Where(o => o.WithdrawnAt is null && o.ClassName is null && string.Equals(o.Profile, p.Group, StringComparison.Ordinal)).ToList();
                profiles.Add(local.Count == 0 ? new FilterProfile(definition, lists) : WithOverrides(definition, local, lists, policy.SourcePath, problems));

                // A teacher's temporary unblock for their class (Approvals): the class gets its own copy of the
                // group's profile with the class's entries added, chosen by SchoolFilter.ProfilesFor(groups, class).
                foreach (var byClass in overrides.Where(o => o.WithdrawnAt is null && o.ClassName is not null && string.Equals(o.Profile, p.Group, StringComparison.Ordinal))
                    .GroupBy(o => o.ClassName!, StringComparer.Ordinal))
                {
                    var classDefinition = definition with { Name = ClassProfileName(p.Group, byClass.Key) };
                    profiles.Add(WithOverrides(classDefinition, [.. local, .. byClass], lists, policy.SourcePath, problems));
                }
            }
            catch (FilterConfigurationException ex)
            {
                problems.Add($"{policy.SourcePath}: filtering profile '{p.Group}' refused, so its group gets the fallback profile: {ex.Message}");
            }
            catch (ArgumentException ex)
            {
                problems.Add($"{policy.SourcePath}: filtering profile '{p.Group}' refused, so its group gets the fallback profile: {ex.Message}");
            }
        }

        if (filtering.FallbackGroup is { } fallback && profiles.Any(p => string.Equals(p.Name, fallback, StringComparison.Ordinal)))
        {
            options = options with { FallbackProfile = fallback };
        }

        return new FilterCompilation(new FilterSnapshot(lists, profiles, options), problems, sizes) { Loaded = reuse };
    }

    /// <summary>The profile name of <paramref name="group"/>'s profile with a class's own entries added.</summary>
    public static string ClassProfileName(string group, string className) => $"{group} (class {className})";

    private static FilterProfile WithOverrides(FilterProfileDefinition definition, List<FilterOverride> local, CategoryLists lists, string? source, List<string> problems)
    {
        var allow = definition.Allow.ToList();
        var deny = definition.Deny.ToList();
        foreach (var o in local)
        {
            LocalRule rule;
            try
            {
                rule = LocalRule.Parse(o.Entry) with
                {
                    Expires = o.Expires,
                    Reason = o.Reason,
                    RuleId = definition.RuleId,
                    Category = o.Category is { } name && Brightline.Filtering.Categories.TryParse(name, out var c) ? c : null,
                };
            }
            catch (ArgumentException ex)
            {
                problems.Add($"portal override {o.Id} ('{o.Entry}') ignored: {ex.Message}");
                continue;
            }

            (o.Action == FilterOverrideAction.Allow ? allow : deny).Add(rule);
        }

        try
        {
            return new FilterProfile(definition with { Allow = allow, Deny = deny }, lists);
        }
        catch (Exception ex) when (ex is FilterConfigurationException or ArgumentException)
        {
            problems.Add($"{source}: portal overrides for '{definition.Name}' refused, so the policy's own lists apply: {ex.Message}");
            return new FilterProfile(definition, lists);
        }
    }

    /// <summary>Category set from policy names; <c>defaults</c> expands to the pupil defaults.</summary>
    public static CategorySet Categories(IEnumerable<string> names)
    {
        var set = CategorySet.Empty;
        foreach (var name in names)
        {
            if (string.Equals(name, FilterCategoryNames.Defaults, StringComparison.Ordinal))
            {
                set = set.Union(Brightline.Filtering.Categories.DefaultPupilBlocked);
            }
            else if (Brightline.Filtering.Categories.TryParse(name, out var category))
            {
                set = set.With(category);
            }
        }

        return set;
    }

    internal static FilterProfileDefinition Definition(FilterProfilePolicy p, Group? group, TimeZoneInfo zone)
    {
        var pupil = group?.Kind == PersonKind.Pupil;
        return new FilterProfileDefinition
        {
            Name = p.Group,
            DisplayName = group?.Name,
            RuleId = p.Rule,
            // Unsaid: pupils get the pupil defaults, adults only the (always blocked) illegal categories.
            BlockedCategories = p.Block is { } block ? Categories(block) : pupil ? Brightline.Filtering.Categories.DefaultPupilBlocked : CategorySet.Empty,
            AllowedCategories = Categories(p.AllowCategories),
            Allow = p.Allow.Select(e => Rule(e, p.Rule, zone)).ToList(),
            Deny = p.Deny.Select(e => Rule(e, p.Rule, zone)).ToList(),
            Schedules = p.Schedules.Select(Schedule).ToList(),
            SafeSearch = p.SafeSearch,
            YouTube = (p.YouTube ?? (pupil ? YouTubeRestriction.Strict : YouTubeRestriction.Off)) switch
            {
                YouTubeRestriction.Off => YouTubeMode.Off,
                YouTubeRestriction.Moderate => YouTubeMode.Moderate,
                YouTubeRestriction.Strict => YouTubeMode.Strict,
                _ => YouTubeMode.Strict,
            },
            Default = p.Default switch
            {
                FilterDefault.Allow => DefaultAction.Allow,
                FilterDefault.Block => DefaultAction.Block,
                _ => DefaultAction.Block,
            },
        };
    }

    private static LocalRule Rule(FilterEntry entry, string? profileRule, TimeZoneInfo zone) => LocalRule.Parse(entry.Entry) with
    {
        // "expires: 2026-07-22" means the entry still applies all of 22 July, school time.
        Expires = entry.Expires is { } last ? EndOfDay(last, zone) : null,
        Reason = entry.Reason,
        RuleId = entry.Rule ?? profileRule,
        Category = entry.Category is { } name && Brightline.Filtering.Categories.TryParse(name, out var c) ? c : null,
    };

    internal static DateTimeOffset EndOfDay(DateOnly last, TimeZoneInfo zone)
    {
        var nextMidnight = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(nextMidnight, zone.GetUtcOffset(nextMidnight)).ToUniversalTime();
    }

    private static FilterSchedule Schedule(FilterSchedulePolicy s) => new()
    {
        Name = s.Name,
        Days = s.Days.Count == 0 ? Enum.GetValues<DayOfWeek>() : s.Days,
        Windows = s.Times.Count == 0 ? [TimeWindow.WholeDay] : s.Times.Select(t => new TimeWindow(t.From, t.To)).ToList(),
        DayFilter = s.On switch
        {
            ScheduleDays.AnyDay => DayFilter.AnyDay,
            ScheduleDays.SchoolDays => DayFilter.SchoolDays,
            ScheduleDays.NonSchoolDays => DayFilter.NonSchoolDays,
            _ => DayFilter.AnyDay,
        },
        Block = Categories(s.Block),
        Unblock = Categories(s.Unblock),
        BlockAll = s.BlockAll,
    };

    /// <summary>
    /// The policy calendar decides (issue 15, O7): weekdays in term that are not bank holidays, INSET days, closures or
    /// half terms; with no terms, weekdays that are not bank holidays, INSET days or closures.
    /// </summary>
    internal static SchoolCalendar Calendar(AcademicCalendar calendar) => new(calendar.IsSchoolDay);

    private static (CategoryLists Lists, IReadOnlyDictionary<string, int> Sizes) LoadLists(FilteringPolicy filtering, string listRoot, List<string> problems)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        if (filtering.Lists.Count == 0)
        {
            return (CategoryLists.Empty, sizes);
        }

        var builder = new CategoryListsBuilder(string.Join('+', filtering.Lists.Select(l => l.Name)));
        foreach (var list in filtering.Lists)
        {
            builder.BeginList(list.Name);
            var path = Path.IsPathRooted(list.Path) ? list.Path : Path.GetFullPath(Path.Combine(listRoot, list.Path));
            if (list.Format == FilterListFormat.Squidguard)
            {
                if (!Directory.Exists(path))
                {
                    problems.Add($"{path}: list '{list.Name}' not found (a squidguard folder tree); it was not loaded");
                    continue;
                }

                var report = SquidGuardDirectoryReader.Read(path, builder);
                sizes[list.Name] = report.Accepted;
                foreach (var r in report.Files)
                {
                    Report(r, problems);
                }

                continue;
            }

            if (!File.Exists(path))
            {
                problems.Add($"{path}: list '{list.Name}' not found; it was not loaded");
                continue;
            }

            if (list.Category is null || !Brightline.Filtering.Categories.TryParse(list.Category, out var category))
            {
                problems.Add($"{path}: list '{list.Name}' has no valid category; it was not loaded");
                continue;
            }

            var sink = builder.For(category);
            var listReport = FilterListFiles.Read(list.Format, path, sink);
            sizes[list.Name] = listReport.Accepted;
            Report(listReport, problems);
        }

        return (builder.Build(), sizes);
    }


    private static void Report(ListReport report, List<string> problems)
    {
        foreach (var p in report.Problems.Take(MaxProblemsPerList))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{p.Source}:{p.Line}: {p.Message} ('{p.Text}')"));
        }

        if (report.ProblemCount > MaxProblemsPerList)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{report.Source}: {report.ProblemCount - MaxProblemsPerList} more problems not shown"));
        }
    }
}
