using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// "Where as well as who" (issue 13): locations with opening hours and filtering per group, a network's own hours, and
/// what a network does while Brightline is unreachable — typed, checked with positions and "did you mean", and
/// evaluated by <see cref="NetworkWhere"/> (the one reading the RADIUS answer, the DNS filter and filter test share).
/// </summary>
public sealed class NetworkLocationTests
{
    private static readonly TimeZoneInfo s_london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private const string Section = """
        filtering:
          profiles:
            - { group: ks1, block: [defaults] }
            - { group: staff, block: [] }
        network:
          networks:
            - name: boarding-wifi
              kind: people
              location: boarding-house
              ssids: [Boarding]
              vlans: { ks1: 22, staff: 30 }
            - name: staff-wifi
              kind: people
              ssids: [Staff]
              vlans: { staff: 30 }
              when_unreachable: cached
              cache_minutes: 30
              hours:
                - { groups: [staff], from: "06:00", to: "23:00" }
          locations:
            - name: boarding-house
              hours:
                - { name: school nights, groups: [ks1], days: [sun, mon, tue, wed, thu], from: "07:00", to: "21:30" }
                - { groups: [ks1], days: [fri, sat], from: "08:00", to: "22:30" }
              filtering:
                - { groups: [staff], profile: ks1, from: "18:00", to: "21:30" }
              requirements: [H2]
        """;

    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    /// <summary>"file:line:col: " of <paramref name="text"/>; "lineText@value" finds the line by one and the column by the other.</summary>
    private static string At(string yaml, string text)
    {
        var parts = text.Split('@');
        var (lineText, value) = parts.Length == 2 ? (parts[0], parts[1]) : (text, text);
        var sectionStart = PolicyLoaderTests.Valid.Split('\n').Length;
        var lines = yaml.Split('\n');
        var line = Enumerable.Range(0, lines.Length).First(i => i >= sectionStart && lines[i].Contains(lineText, StringComparison.Ordinal));
        return $"test.yaml:{line + 1}:{lines[line].IndexOf(value, StringComparison.Ordinal) + 1}: ";
    }

    /// <summary>A UK wall-clock time (December: GMT) as UTC.</summary>
    private static DateTimeOffset Uk(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Load_Locations_ReadsEveryKey()
    {
        var network = PolicyLoader.LoadValid(With(Section), "test.yaml").Network;

        var boarding = network.FindNetwork("boarding-wifi")!;
        boarding.Location.ShouldBe("boarding-house");
        boarding.WhenUnreachable.ShouldBe(UnreachableAction.FailClosed);
        var staff = network.FindNetwork("staff-wifi")!;
        staff.WhenUnreachable.ShouldBe(UnreachableAction.Cached);
        staff.CacheMinutes.ShouldBe(30);
        staff.Hours.Single().Window.ShouldBe(new ScheduleWindow(new TimeOnly(6, 0), new TimeOnly(23, 0)));
        var house = network.FindLocation("boarding-house")!;
        house.Hours[0].Name.ShouldBe("school nights");
        house.Hours[0].Days.ShouldBe([DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday]);
        house.Hours[1].Groups.ShouldBe(["ks1"]);
        house.Filtering.Single().Profile.ShouldBe("ks1");
        house.Requirements.ShouldBe(["H2"]);
    }

    [Fact]
    public void Evaluate_Closed_SaysWhenItClosedAndWhenItOpens_Open_EndsAtTheBoundary()
    {
        var policy = PolicyLoader.LoadValid(With(Section), "test.yaml");
        var (network, location, error) = NetworkWhere.FindPlace(policy.Network, "boarding-wifi");
        error.ShouldBeNull();

        // Tuesday 1 December 2026, 22:00: after a school night's 21:30.
        var closed = NetworkWhere.Evaluate(policy, network, location, ["ks1"], Uk(1, 22), s_london);
        closed.Open.ShouldBeFalse();
        closed.ClosedWords.ShouldBe("the boarding-house network is closed now: it closes at 21:30 on school nights; opens at 07:00 tomorrow");
        closed.NextChange.ShouldBe(Uk(2, 7));

        // Wednesday 2 December, 20:00: open, and the session must end at 21:30.
        var open = NetworkWhere.Evaluate(policy, network, location, ["ks1"], Uk(2, 20), s_london);
        open.Open.ShouldBeTrue();
        open.NextChange.ShouldBe(Uk(2, 21, 30));

        // Friday 4 December, 22:00: the weekend window, spelled out, runs to 22:30.
        NetworkWhere.Evaluate(policy, network, location, ["ks1"], Uk(4, 22), s_london).NextChange.ShouldBe(Uk(4, 22, 30));
        NetworkWhere.Evaluate(policy, network, location, ["ks1"], Uk(4, 23), s_london).ClosedWords
            .ShouldBe("the boarding-house network is closed now: it closes at 22:30 on Fridays, Saturdays; opens at 08:00 tomorrow");

        // Staff are in no hours line of the location: not limited there; their profile changes in the evening.
        var staffEvening = NetworkWhere.Evaluate(policy, network, location, ["staff"], Uk(1, 19), s_london);
        staffEvening.Open.ShouldBeTrue();
        staffEvening.NextChange.ShouldBeNull();
        staffEvening.ProfileGroup.ShouldBe("ks1");
        NetworkWhere.Evaluate(policy, network, location, ["staff"], Uk(1, 22), s_london).ProfileGroup.ShouldBeNull();
    }

    [Fact]
    public void FindPlace_Unknown_IsAnErrorWithDidYouMean()
    {
        var policy = PolicyLoader.LoadValid(With(Section), "test.yaml");

        NetworkWhere.FindPlace(policy.Network, "boarding-hose").Error.ShouldBe(
            "'boarding-hose' is not a network or location in the policy (boarding-wifi, staff-wifi, boarding-house); did you mean 'boarding-house'?");
        var (network, location, _) = NetworkWhere.FindPlace(policy.Network, "boarding-house");
        network.ShouldBeNull();
        location!.Name.ShouldBe("boarding-house");
    }

    [Theory]
    [InlineData("location: boarding-house", "location: boarding-hose", "boarding-hose", "network 'boarding-wifi' belongs to location 'boarding-hose', which is not in network.locations; did you mean 'boarding-house'?")]
    [InlineData("groups: [staff], profile: ks1", "groups: [staf], profile: ks1", "staf]", "location 'boarding-house' filtering names group 'staf', which is not defined; did you mean 'staff'?")]
    [InlineData("profile: ks1", "profile: ks2", "ks2", "location 'boarding-house' filters by the profile of group 'ks2', which is not defined; did you mean 'ks1'?")]
    [InlineData("groups: [ks1], days: [fri", "groups: [ks2], days: [fri", "ks2]", "location 'boarding-house' hours names group 'ks2', which is not defined; did you mean 'ks1'?")]
    [InlineData("from: \"08:00\", to: \"22:30\"", "from: \"08:00\", to: \"08:00\"", "to: \"08:00\"@\"08:00\" }", "location 'boarding-house' hours open and close at 08:00")]
    [InlineData("from: \"18:00\", to: \"21:30\" }", "from: \"18:00\" }", "\"18:00\"", "location 'boarding-house' filtering: give both 'from' and 'to', or neither")]
    [InlineData("days: [fri, sat]", "days: [fri, sab]", "sab", "did you mean 'sat'?")]
    [InlineData("when_unreachable: cached", "when_unreachable: cachd", "cachd", "must be one of fail_closed, cached, not 'cachd'; did you mean 'cached'?")]
    [InlineData("cache_minutes: 30", "cache_minutes: 3", "cache_minutes@3", "must be at least 5, not 3")]
    [InlineData("vlans: { staff: 30 }", "vlans: { staff: 30, ks1: 21 }", "when_unreachable@cached", "network 'staff-wifi' cannot be 'when_unreachable: cached': pupil group 'ks1' joins it")]
    [InlineData("when_unreachable: cached", "when_unreachable: fail_closed", "cache_minutes@30", "network 'staff-wifi' has 'cache_minutes' but does not say 'when_unreachable: cached'")]
    [InlineData("  locations:", "  locatons:", "locatons", "unknown key 'locatons' in network; did you mean 'locations'?")]
    public void Load_BadLocationRules_AreErrorsAtThePlace(string find, string replace, string at, string message)
    {
        With(Section).ShouldContain(find);
        var yaml = With(Section).Replace(find, replace, StringComparison.Ordinal);

        var errors = Errors(yaml);
        errors.ShouldContain(e => e.StartsWith(At(yaml, at), StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal), string.Join("\n", errors));
    }
}
