using Brightline.Filtering.Lists;

namespace Brightline.Filtering.Tests;

public sealed class ListReaderTests
{
    [Fact]
    public void PlainListReader_MixedLines_AcceptsEntriesAndReportsBadLinesWithNumbers()
    {
        const string text = """
            # a comment
            example.com
            .dotted.example.org   # trailing comment

            *.wild.example.net
            http://example.com/path/to
            bad_name!.com
            two words.com
            exa..mple.com
            EXAMPLE.co.uk.
            """;
        var sink = new CollectingListSink();

        var report = PlainListReader.Read(new StringReader(text), sink, "plain.txt");

        sink.Entries.ShouldBe([
            new ListEntry(MatchKind.Domain, "example.com", null),
            new ListEntry(MatchKind.Domain, "dotted.example.org", null),
            new ListEntry(MatchKind.Domain, "wild.example.net", null),
            new ListEntry(MatchKind.UrlPrefix, "example.com", "/path/to"),
            new ListEntry(MatchKind.Domain, "example.co.uk", null),
        ]);
        report.Lines.ShouldBe(10);
        report.Accepted.ShouldBe(5);
        report.Problems.Select(p => p.Line).ShouldBe([7, 8, 9]);
        report.Problems[0].Source.ShouldBe("plain.txt");
        report.Problems[0].Message.ShouldBe("not a valid host name");
        report.Problems[1].Message.ShouldBe("more than one word on the line");
    }

    [Fact]
    public void HostsFileReader_TypicalFile_ReadsExactHostsAndSkipsLoopback()
    {
        const string text = """
            # StevenBlack-style hosts
            127.0.0.1 localhost
            ::1 ip6-localhost ip6-loopback
            0.0.0.0 ads.example.com
            127.0.0.1	tracker.example.net   other.example.net # comment
            0.0.0.0
            not-an-ip example.org
            0.0.0.0 bad..name
            0.0.0.0 example.com/path
            """;
        var sink = new CollectingListSink();

        var report = HostsFileReader.Read(new StringReader(text), sink, "hosts");

        sink.Entries.ShouldBe([
            new ListEntry(MatchKind.ExactHost, "ads.example.com", null),
            new ListEntry(MatchKind.ExactHost, "tracker.example.net", null),
            new ListEntry(MatchKind.ExactHost, "other.example.net", null),
        ]);
        report.Skipped.ShouldBe(3);
        report.Problems.Select(p => (p.Line, p.Message)).ShouldBe([
            (6, "expected an address followed by host names"),
            (7, "not an IP address"),
            (8, "not a valid host name"),
            (9, "a hosts file cannot hold a URL"),
        ]);
    }

    [Fact]
    public void HostsFileReader_AsDomains_ReadsDomains()
    {
        var sink = new CollectingListSink();

        HostsFileReader.Read(new StringReader("0.0.0.0 ads.example.com"), sink, "hosts", asDomains: true);

        sink.Entries.Single().Kind.ShouldBe(MatchKind.Domain);
    }

    [Fact]
    public void AdblockListReader_MixedRules_TakesOnlyDomainAnchorsAndCountsTheRestSkipped()
    {
        const string text = """
            [Adblock Plus 2.0]
            ! Title: test
            ||ads.example.com^
            ||Tracker.Example.NET^
            ||example.org^$third-party
            @@||allowed.example.com^
            example.com##.banner
            ||example.com/ads/*
            /banner/*
            ||bad..name^
            ||^
            """;
        var sink = new CollectingListSink();

        var report = AdblockListReader.Read(new StringReader(text), sink, "easylist.txt");

        sink.Entries.Select(e => e.Host).ShouldBe(["ads.example.com", "tracker.example.net"]);
        sink.Entries.ShouldAllBe(e => e.Kind == MatchKind.Domain);
        report.Skipped.ShouldBe(5);
        report.Problems.Select(p => p.Line).ShouldBe([10, 11]);
    }

    [Fact]
    public void E2GuardianListReader_SiteAndUrlLinesWithIncludes_FollowsIncludesRelativeToFile()
    {
        var dir = Directory.CreateTempSubdirectory("e2g");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "lists"));
            File.WriteAllText(Path.Combine(dir.FullName, "bannedsitelist"), """
                #listcategory: "Banned Sites"
                .Include<lists/extra>
                .Include<lists/missing>
                .Include<bannedsitelist>
                badsite.example
                .dotted.example
                **
                *ip
                example.com/some/path
                bad site
                """);
            File.WriteAllText(Path.Combine(dir.FullName, "lists", "extra"), "included.example\n.Include<../lists/extra>\n");
            var sink = new CollectingListSink();

            var report = E2GuardianListReader.ReadFile(Path.Combine(dir.FullName, "bannedsitelist"), sink);

            sink.Entries.ShouldBe([
                new ListEntry(MatchKind.Domain, "included.example", null),
                new ListEntry(MatchKind.Domain, "badsite.example", null),
                new ListEntry(MatchKind.Domain, "dotted.example", null),
                new ListEntry(MatchKind.UrlPrefix, "example.com", "/some/path"),
            ]);
            report.Accepted.ShouldBe(4);
            report.Included.Count.ShouldBe(1);
            report.Problems.Select(p => p.Line).ShouldBe([3, 10]);
            report.Problems[0].Message.ShouldStartWith("included file not found");
            report.Skipped.ShouldBe(3); // the self-include, "**", "*ip"
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void E2GuardianListReader_FromTextReader_SkipsIncludes()
    {
        var sink = new CollectingListSink();

        var report = E2GuardianListReader.Read(new StringReader(".Include</etc/e2guardian/lists/x>\nsite.example\n.Include<broken"), sink, "inline");

        sink.Entries.Single().Host.ShouldBe("site.example");
        report.Skipped.ShouldBe(1);
        report.Problems.Single().Line.ShouldBe(3);
    }

    [Fact]
    public void SquidGuardDirectoryReader_Ut1Tree_MapsFoldersToCategories()
    {
        var dir = Directory.CreateTempSubdirectory("ut1");
        try
        {
            void Write(string folder, string file, string text)
            {
                Directory.CreateDirectory(Path.Combine(dir.FullName, folder));
                File.WriteAllText(Path.Combine(dir.FullName, folder, file), text);
            }

            Write("adult", "domains", "porn.example\nbad..line\n");
            Write("adult", "urls", "free.example/adult/\n");
            Write("gambling", "domains", "casino.example\n");
            Write("social_networks", "domains", "social.example\n");
            Write("child", "domains", "kids.example\n");
            Write("vpn", "domains", "vpn.example\n");
            Write("agressif", "domains", "hate.example\n");
            Write("doh", "domains", "dns.example\n");
            Write("myschool", "domains", "custom.example\n");
            var builder = new CategoryListsBuilder("ut1");

            var report = SquidGuardDirectoryReader.Read(dir.FullName, builder, new Dictionary<string, Category> { ["myschool"] = Category.Games });
            var lists = builder.Build();

            report.UnmappedFolders.ShouldBe(["child"]);
            report.Accepted.ShouldBe(8);
            report.ProblemCount.ShouldBe(1);
            report.Files.Single(f => f.ProblemCount == 1).Problems[0].Line.ShouldBe(2);
            lists.Match("www.porn.example").ShouldBe(CategorySet.Of(Category.Pornography));
            lists.Match("free.example", "/adult/page").ShouldBe(CategorySet.Of(Category.Pornography));
            lists.Match("free.example").IsEmpty.ShouldBeTrue();
            lists.Match("casino.example").ShouldBe(CategorySet.Of(Category.Gambling));
            lists.Match("social.example").ShouldBe(CategorySet.Of(Category.SocialNetworking));
            lists.Match("kids.example").IsEmpty.ShouldBeTrue("UT1's 'child' folder is a white list, never child abuse");
            lists.Match("vpn.example").ShouldBe(CategorySet.Of(Category.ProxyVpn));
            lists.Match("hate.example").ShouldBe(CategorySet.Of(Category.Hate));
            lists.Match("dns.example").ShouldBe(CategorySet.Of(Category.EncryptedDns));
            lists.Match("custom.example").ShouldBe(CategorySet.Of(Category.Games));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void SquidGuardDirectoryReader_MissingDirectory_ReportsProblem()
    {
        var report = SquidGuardDirectoryReader.Read("/nonexistent/ut1", new CategoryListsBuilder("x"));

        report.ProblemCount.ShouldBe(1);
    }

    [Fact]
    public void SquidGuardDirectoryReader_DefaultMap_CoversTheCommonUt1Folders()
    {
        var map = SquidGuardDirectoryReader.DefaultFolderMap;
        foreach (var folder in new[] { "adult", "gambling", "malware", "phishing", "vpn", "social_networks", "games", "dating", "chat", "agressif", "drogue", "warez", "webmail", "publicite", "doh" })
        {
            map.ContainsKey(folder).ShouldBeTrue(folder);
        }

        map.ContainsKey("child").ShouldBeFalse();
        map.ContainsKey("liste_blanche").ShouldBeFalse();
    }

    [Fact]
    public void RpzWriter_ExportThenRead_RoundTripsDomainsAndExactHosts()
    {
        var builder = new CategoryListsBuilder("test");
        builder.AddDomain("casino.example", Category.Gambling);
        builder.AddDomain("porn.example", Category.Pornography);
        builder.AddExactHost("chat.example.org", Category.Gambling);
        builder.AddDomain("games.example", Category.Games);
        builder.AddUrlPrefix("site.example", "/bet", Category.Gambling);
        var lists = builder.Build();
        var writer = new StringWriter();

        var result = RpzWriter.Write(writer, lists, CategorySet.Of(Category.Gambling, Category.Pornography), new RpzOptions { Serial = 2025061101 });
        var zone = writer.ToString();

        result.ShouldBe(new RpzExportResult(3, 5, 1));
        zone.ShouldContain("$ORIGIN rpz.brightline.local.");
        zone.ShouldContain("@ IN SOA localhost. hostmaster.localhost. ( 2025061101 3600 600 86400 300 )");
        zone.ShouldContain("@ IN NS localhost.");
        zone.ShouldContain("casino.example CNAME .\n*.casino.example CNAME .");
        zone.ShouldNotContain("*.chat.example.org");
        zone.ShouldNotContain("games.example");

        var sink = new CollectingListSink();
        var report = RpzReader.Read(new StringReader(zone), sink, "export.rpz");
        report.ProblemCount.ShouldBe(0);
        sink.Entries.ShouldBe([
            new ListEntry(MatchKind.Domain, "casino.example", null),
            new ListEntry(MatchKind.Domain, "porn.example", null),
            new ListEntry(MatchKind.ExactHost, "chat.example.org", null),
        ]);
    }

    [Fact]
    public void RpzWriter_Redirect_UsesBlockHost()
    {
        var builder = new CategoryListsBuilder("test");
        builder.AddDomain("casino.example", Category.Gambling);
        var writer = new StringWriter();

        RpzWriter.Write(writer, builder.Build(), CategorySet.Of(Category.Gambling), new RpzOptions { Action = RpzAction.Redirect, RedirectHost = "Block.School.UK" });

        writer.ToString().ShouldContain("casino.example CNAME block.school.uk.");
        Should.Throw<FilterConfigurationException>(() => RpzWriter.Write(new StringWriter(), CategoryLists.Empty, CategorySet.Empty, new RpzOptions { Action = RpzAction.Redirect }));
    }

    [Fact]
    public void RpzReader_VendorZone_HandlesAbsoluteNamesTtlsPassthruAndMultiLineSoa()
    {
        const string zone = """
            $TTL 60
            $ORIGIN feed.rpz.
            @ 3600 IN SOA ns.feed.rpz. admin.feed.rpz. (
                1 ; serial
                3600 600 86400 60 )
              IN NS ns.feed.rpz.
            bad.example.feed.rpz. 60 IN CNAME .
            *.bad.example 300 CNAME .
            sinkhole.example IN A 10.0.0.1
            allowed.example CNAME rpz-passthru.
            32.1.0.0.10.rpz-ip CNAME .
            other.zone.example. CNAME .
            no..good CNAME .
            """;
        var sink = new CollectingListSink();

        var report = RpzReader.Read(new StringReader(zone), sink, "feed");

        sink.Entries.ShouldBe([
            new ListEntry(MatchKind.Domain, "bad.example", null),
            new ListEntry(MatchKind.ExactHost, "sinkhole.example", null),
        ]);
        report.Skipped.ShouldBe(3);
        report.Problems.Single().Line.ShouldBe(13);
    }
}
