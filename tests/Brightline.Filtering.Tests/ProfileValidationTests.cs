namespace Brightline.Filtering.Tests;

public sealed class ProfileValidationTests
{
    private static CategoryLists Lists()
    {
        var builder = new CategoryListsBuilder("lists");
        builder.AddDomain("abuse.example", Category.ChildAbuse);
        builder.AddUrlPrefix("host.example", "/terror", Category.Terrorism);
        builder.AddDomain("games.example", Category.Games);
        return builder.Build();
    }

    [Fact]
    public void Constructor_AllowedIllegalCategory_ThrowsNamingProfileAndCategory()
    {
        var ex = Should.Throw<IllegalOverrideException>(() => new FilterProfile(new FilterProfileDefinition
        {
            Name = "staff",
            AllowedCategories = CategorySet.Of(Category.Gambling, Category.Terrorism),
        }));

        ex.ProfileName.ShouldBe("staff");
        ex.Category.ShouldBe(Category.Terrorism);
        ex.Message.ShouldContain("'staff'");
        ex.Message.ShouldContain("terrorism");
    }

    [Fact]
    public void Constructor_ScheduleUnblockingIllegal_Throws()
    {
        var ex = Should.Throw<IllegalOverrideException>(() => new FilterProfile(new FilterProfileDefinition
        {
            Name = "admins",
            Schedules = [new FilterSchedule { Name = "after-hours", Unblock = CategorySet.Of(Category.ChildAbuse) }],
        }));

        ex.Entry.ShouldBe("schedule 'after-hours' unblocking 'child-abuse'");
    }

    [Fact]
    public void Constructor_AllowRuleTaggedIllegal_Throws()
    {
        Should.Throw<IllegalOverrideException>(() => new FilterProfile(new FilterProfileDefinition
        {
            Name = "ks2",
            Allow = [LocalRule.Domain("x.example") with { Category = Category.ChildAbuse }],
        })).Entry.ShouldBe("allow rule 'x.example'");
    }

    [Theory]
    [InlineData("abuse.example")]
    [InlineData("www.abuse.example")]
    [InlineData("=img.abuse.example")]
    [InlineData("host.example/terror/page")]
    public void Constructor_AllowEntryOnIllegalList_ThrowsNamingEntry(string pattern)
    {
        var definition = new FilterProfileDefinition { Name = "sixth-form", Allow = [LocalRule.Parse(pattern)] };

        var ex = Should.Throw<IllegalOverrideException>(() => new FilterProfile(definition, Lists()));
        var viaSnapshot = Should.Throw<IllegalOverrideException>(() => new FilterSnapshot(Lists(), [new FilterProfile(definition)]));

        ex.ProfileName.ShouldBe("sixth-form");
        ex.Entry.ShouldBe($"allow rule '{LocalRule.Parse(pattern).Pattern}'");
        viaSnapshot.Entry.ShouldBe(ex.Entry);
    }

    [Theory]
    [InlineData("example")] // parent of an illegal entry: allowed, the illegal subdomain still blocks
    [InlineData("games.example")]
    [InlineData("host.example/news")]
    public void Constructor_AllowEntryNotOnIllegalList_Accepted(string pattern)
    {
        var profile = new FilterProfile(new FilterProfileDefinition { Name = "staff", Allow = [LocalRule.Parse(pattern)] }, Lists());
        var snapshot = new FilterSnapshot(Lists(), [profile]);

        snapshot.Decide(new FilterRequest("staff", "abuse.example", DateTimeOffset.UnixEpoch)).Reason.ShouldBe(DecisionReason.IllegalCategory);
    }

    [Fact]
    public void Constructor_BlockedCategoriesWithoutIllegal_StillBlocksIllegal()
    {
        var profile = new FilterProfile(new FilterProfileDefinition { Name = "staff" });

        profile.BlockedCategories.ShouldBe(Categories.Illegal);
    }

    [Fact]
    public void Constructor_InvalidSchedules_ThrowConfigurationErrors()
    {
        Should.Throw<FilterConfigurationException>(() => new FilterProfile(new FilterProfileDefinition
        {
            Name = "p",
            Schedules = [new FilterSchedule { Name = "never", Days = [] }],
        })).Message.ShouldContain("'never'");
        Should.Throw<FilterConfigurationException>(() => new FilterProfile(new FilterProfileDefinition
        {
            Name = "p",
            Schedules = [new FilterSchedule { Name = "both", Block = CategorySet.Of(Category.Games), Unblock = CategorySet.Of(Category.Games) }],
        })).ProfileName.ShouldBe("p");
        Should.Throw<FilterConfigurationException>(() => new FilterProfile(new FilterProfileDefinition { Name = " " }));
    }

    [Fact]
    public void Snapshot_DuplicateProfileOrMissingFallback_Throws()
    {
        var a = new FilterProfile(new FilterProfileDefinition { Name = "a" });

        Should.Throw<FilterConfigurationException>(() => new FilterSnapshot(CategoryLists.Empty, [a, a]));
        Should.Throw<FilterConfigurationException>(() => new FilterSnapshot(CategoryLists.Empty, [a], new FilterSnapshotOptions { FallbackProfile = "guests" }));
    }

    [Theory]
    [InlineData("example.com", MatchKind.Domain, "example.com")]
    [InlineData("*.Example.com", MatchKind.Domain, "example.com")]
    [InlineData(".example.com", MatchKind.Domain, "example.com")]
    [InlineData("=www.example.com", MatchKind.ExactHost, "=www.example.com")]
    [InlineData("https://example.com/path", MatchKind.UrlPrefix, "example.com/path")]
    public void LocalRuleParse_Syntax_ProducesKindAndPattern(string text, MatchKind kind, string pattern)
    {
        var rule = LocalRule.Parse(text);

        rule.Kind.ShouldBe(kind);
        rule.Pattern.ShouldBe(pattern);
    }

    [Theory]
    [InlineData("bad..name")]
    [InlineData("")]
    [InlineData("=")]
    [InlineData("/path-only")]
    public void LocalRuleParse_Invalid_ThrowsConfigurationError(string text)
    {
        Should.Throw<FilterConfigurationException>(() => LocalRule.Parse(text));
    }
}
