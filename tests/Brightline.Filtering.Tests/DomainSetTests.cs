namespace Brightline.Filtering.Tests;

public sealed class DomainSetTests
{
    private static DomainSet Build(params (string Name, Category Category, bool Exact)[] entries)
    {
        var builder = new DomainSetBuilder();
        foreach (var (name, category, exact) in entries)
        {
            var ok = exact ? builder.AddExactHost(name, CategorySet.Of(category)) : builder.AddDomain(name, CategorySet.Of(category));
            ok.ShouldBeTrue(name);
        }

        return builder.Build();
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("www.example.com", true)]
    [InlineData("a.b.c.example.com", true)]
    [InlineData("badexample.com", false)]
    [InlineData("example.com.evil.org", false)]
    [InlineData("xample.com", false)]
    [InlineData("com", false)]
    [InlineData("example.co", false)]
    [InlineData("EXAMPLE.COM", true)]
    [InlineData("Www.Example.Com.", true)]
    [InlineData("example.com.", true)]
    [InlineData("example.com..", false)]
    [InlineData(".example.com", false)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("www..example.com", false)]
    [InlineData("exa mple.com", false)]
    public void Match_DomainEntry_MatchesItselfAndSubdomainsOnly(string query, bool expected)
    {
        var set = Build(("example.com", Category.Gambling, false));

        set.Contains(query).ShouldBe(expected);
    }

    [Theory]
    [InlineData("host.example.com", true)]
    [InlineData("HOST.example.com.", true)]
    [InlineData("a.host.example.com", false)]
    [InlineData("example.com", false)]
    public void Match_ExactHostEntry_MatchesOnlyThatHost(string query, bool expected)
    {
        var set = Build(("host.example.com", Category.Chat, true));

        set.Contains(query).ShouldBe(expected);
    }

    [Fact]
    public void Match_SingleLabelEntry_BlocksWholeTopLevelDomain()
    {
        var set = Build(("zip", Category.MalwareHacking, false), ("localhost", Category.Chat, true));

        set.Contains("anything.zip").ShouldBeTrue();
        set.Contains("zip").ShouldBeTrue();
        set.Contains("localhost").ShouldBeTrue();
        set.Contains("a.localhost").ShouldBeFalse();
        set.Contains("zipper").ShouldBeFalse();
    }

    [Fact]
    public void Match_IdnInUnicode_MatchesPunycodeEntry()
    {
        var set = Build(("xn--bcher-kva.example", Category.Games, false));

        set.Contains("bücher.example").ShouldBeTrue();
        set.Contains("www.BÜCHER.example").ShouldBeTrue();
        set.Contains("xn--bcher-kva.example").ShouldBeTrue();
        set.Contains("bucher.example").ShouldBeFalse();
    }

    [Fact]
    public void Match_UnicodeEntry_StoredAsPunycode()
    {
        var builder = new DomainSetBuilder();
        builder.AddDomain("bücher.example", CategorySet.Of(Category.Games)).ShouldBeTrue();
        var set = builder.Build();

        set.Entries().Single().Name.ShouldBe("xn--bcher-kva.example");
        set.Contains("xn--bcher-kva.example").ShouldBeTrue();
    }

    [Fact]
    public void Match_VeryLongNames_HandledAtTheLimits()
    {
        var label = new string('a', 63);
        var longest = string.Join('.', label, label, label, new string('b', 61)); // 253 characters
        longest.Length.ShouldBe(253);
        var set = Build((longest, Category.Games, false), ("b.c", Category.Chat, false));

        set.Contains(longest).ShouldBeTrue();
        set.Contains(longest + ".").ShouldBeTrue();
        set.Contains("x." + longest).ShouldBeFalse("254+ characters is not a host name");
        set.Contains(new string('a', 64) + ".com").ShouldBeFalse("labels are at most 63 bytes");
        var manyLabels = string.Join('.', Enumerable.Repeat("a", 124)) + ".b.c";
        set.Contains(manyLabels).ShouldBeTrue();
        set.Contains(new string('x', 10_000)).ShouldBeFalse();
    }

    [Fact]
    public void Match_NameInSeveralLists_ReturnsUnionOfCategoriesAcrossSuffixes()
    {
        var builder = new DomainSetBuilder();
        builder.AddDomain("example.com", CategorySet.Of(Category.Gambling));
        builder.AddDomain("example.com", CategorySet.Of(Category.Games));
        builder.AddDomain("ads.example.com", CategorySet.Of(Category.Advertising));
        builder.AddExactHost("x.ads.example.com", CategorySet.Of(Category.Chat));
        var set = builder.Build();

        set.Count.ShouldBe(3);
        set.Match("www.example.com").ShouldBe(CategorySet.Of(Category.Gambling, Category.Games));
        set.Match("x.ads.example.com").ShouldBe(CategorySet.Of(Category.Gambling, Category.Games, Category.Advertising, Category.Chat));
        set.Match("y.x.ads.example.com").ShouldBe(CategorySet.Of(Category.Gambling, Category.Games, Category.Advertising));
    }

    [Fact]
    public void MatchUtf8_AsciiBytes_SameAsChars()
    {
        var set = Build(("example.com", Category.Gambling, false));

        set.MatchUtf8("WWW.example.com."u8).ShouldBe(CategorySet.Of(Category.Gambling));
        set.MatchUtf8("badexample.com"u8).IsEmpty.ShouldBeTrue();
        set.MatchUtf8([0xff, 0xfe, (byte)'.', (byte)'a']).IsEmpty.ShouldBeTrue();
    }

    [Theory]
    [InlineData("under_score.example.com", true)]
    [InlineData("exa*mple.com", false)]
    [InlineData("exa/mple.com", false)]
    [InlineData("-", true)]
    public void AddDomain_Syntax_AcceptsDnsCharactersOnly(string name, bool accepted)
    {
        new DomainSetBuilder().AddDomain(name, CategorySet.Of(Category.Games)).ShouldBe(accepted);
    }

    [Fact]
    public void Entries_AfterBuild_InInsertionOrderWithMergedCategories()
    {
        var builder = new DomainSetBuilder();
        builder.AddDomain("b.com", CategorySet.Of(Category.Games));
        builder.AddDomain("a.com", CategorySet.Of(Category.Chat));
        builder.AddExactHost("b.com", CategorySet.Of(Category.Dating));
        var entries = builder.Build().Entries().ToList();

        entries.Select(e => e.Name).ShouldBe(["b.com", "a.com"]);
        entries[0].DomainCategories.ShouldBe(CategorySet.Of(Category.Games));
        entries[0].ExactHostCategories.ShouldBe(CategorySet.Of(Category.Dating));
    }

    [Fact]
    public void Build_Twice_Throws()
    {
        var builder = new DomainSetBuilder();
        builder.Build();

        Should.Throw<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public void Empty_AnyQuery_MatchesNothing()
    {
        DomainSet.Empty.Contains("example.com").ShouldBeFalse();
        DomainSet.Empty.Count.ShouldBe(0);
    }

    [Fact]
    public void UrlRuleSet_PathPrefix_MatchesHostSubdomainsAndPrefixIgnoringCase()
    {
        var builder = new UrlRuleSetBuilder();
        builder.Add("example.com", "/games", CategorySet.Of(Category.Games)).ShouldBeTrue();
        builder.Add("example.com", "/games/poker", CategorySet.Of(Category.Gambling)).ShouldBeTrue();
        var urls = builder.Build();

        urls.Match("www.example.com", "/games/chess").ShouldBe(CategorySet.Of(Category.Games));
        urls.Match("example.com", "/GAMES/poker/1").ShouldBe(CategorySet.Of(Category.Games, Category.Gambling));
        urls.Match("example.com", "/news").IsEmpty.ShouldBeTrue();
        urls.Match("example.com", "").IsEmpty.ShouldBeTrue();
        urls.Match("badexample.com", "/games").IsEmpty.ShouldBeTrue();
        urls.Count.ShouldBe(2);
    }

    [Fact]
    public void Categories_Registry_StableNamesAndIllegalFlags()
    {
        Categories.All.Count.ShouldBeGreaterThanOrEqualTo(24);
        Categories.All.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count().ShouldBe(Categories.All.Count);
        Categories.All.Select((c, i) => (int)c.Category == i).ShouldAllBe(x => x);
        Categories.Illegal.ShouldBe(CategorySet.Of(Category.ChildAbuse, Category.Terrorism));
        Categories.All.Where(c => c.IsIllegal).Select(c => c.Category).ShouldBe([Category.ChildAbuse, Category.Terrorism]);
        Categories.TryParse("social-networking", out var social).ShouldBeTrue();
        social.ShouldBe(Category.SocialNetworking);
        Categories.TryParse("Social-Networking", out _).ShouldBeFalse();
        Categories.DefaultPupilBlocked.Contains(Category.Pornography).ShouldBeTrue();
        Categories.DefaultPupilBlocked.Contains(Category.Webmail).ShouldBeFalse();
    }
}
