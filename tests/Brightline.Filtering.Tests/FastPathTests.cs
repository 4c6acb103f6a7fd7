namespace Brightline.Filtering.Tests;

/// <summary>
/// <c>Decide</c> takes a fast path for a single profile without schedules or local rules;
/// <c>Explain</c> always takes the general path. They must agree on everything a caller reads.
/// </summary>
public sealed class FastPathTests
{
    private static readonly string[] s_hosts =
    [
        "www.google.com", "google.co.uk", "www.bing.com", "duckduckgo.com", "www.youtube.com", "m.youtube.com",
        "youtube.googleapis.com", "example.org", "www.example.org", "ok.example.net",
    ];

    private static readonly string[] s_invalid = ["", ".", "a..b", "bad host.com", "x_y!.org", new string('a', 64) + ".com"];

    [Fact]
    public void Decide_PlainProfiles_AgreesWithTheGeneralPathOnRandomNames()
    {
        var random = new Random(20261125);
        var builder = new CategoryListsBuilder("random");
        var listed = new List<string>();
        for (var i = 0; i < 5_000; i++)
        {
            var name = $"{Letters(random)}.{(random.Next(3) == 0 ? "co.uk" : "com")}";
            var category = (Category)random.Next(0, 24);
            builder.AddDomain(name, category);
            listed.Add(name);
        }

        var lists = builder.Build();
        FilterProfile[] profiles =
        [
            new(new FilterProfileDefinition { Name = "pupils", BlockedCategories = Categories.DefaultPupilBlocked, SafeSearch = true, YouTube = YouTubeMode.Strict }),
            new(new FilterProfileDefinition { Name = "staff", BlockedCategories = Categories.Illegal, YouTube = YouTubeMode.Moderate }),
            new(new FilterProfileDefinition { Name = "open", BlockedCategories = Categories.Illegal }),
            new(new FilterProfileDefinition { Name = "garden", BlockedCategories = Categories.Illegal, Default = DefaultAction.Block }),
        ];
        var snapshot = new FilterSnapshot(lists, profiles);
        var at = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        for (var i = 0; i < 20_000; i++)
        {
            var host = random.Next(5) switch
            {
                0 => listed[random.Next(listed.Count)],
                1 => "www." + listed[random.Next(listed.Count)],
                2 => s_hosts[random.Next(s_hosts.Length)],
                3 => s_invalid[random.Next(s_invalid.Length)],
                _ => $"{Letters(random)}.org",
            };
            var profile = profiles[random.Next(profiles.Length)].Name;
            var fast = snapshot.Decide(new FilterRequest(profile, host, at));
            var general = snapshot.Explain(new FilterRequest(profile, host, at));

            var context = $"{profile} {host}";
            fast.Outcome.ShouldBe(general.Outcome, context);
            fast.Reason.ShouldBe(general.Reason, context);
            fast.Category.ShouldBe(general.Category, context);
            fast.MatchedCategories.ShouldBe(general.MatchedCategories, context);
            fast.MatchedEntry.ShouldBe(general.MatchedEntry, context);
            fast.ListName.ShouldBe(general.ListName, context);
            fast.RewriteHost.ShouldBe(general.RewriteHost, context);
            fast.ProfileName.ShouldBe(general.ProfileName, context);
            fast.IsTimeSensitive.ShouldBe(general.IsTimeSensitive, context);
            fast.Summary.ShouldBe(general.Summary, context);
        }
    }

    private static string Letters(Random random)
    {
        Span<char> chars = stackalloc char[random.Next(3, 9)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + random.Next(26));
        }

        return new string(chars);
    }
}
