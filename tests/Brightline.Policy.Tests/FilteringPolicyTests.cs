using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>The typed <c>filtering:</c> section: model, and positioned errors for what the engine would refuse.</summary>
public sealed class FilteringPolicyTests
{
    /// <summary><see cref="PolicyLoaderTests.Valid"/> plus a filtering section; each bad case edits one line.</summary>
    private const string Filtering = """

        filtering:
          fallback_group: ks1
          profiles:
            - group: ks1
              rule: r1
              block: [defaults, streaming]
              youtube: strict
              allow:
                - scratch.mit.edu
                - { entry: www.bbc.co.uk/bitesize, expires: 2026-07-22, reason: Revision }
              deny:
                - { entry: "=chat.example.com", category: chat, reason: Reported }
            - group: staff
              block: [pornography]
              safe_search: false
              schedules:
                - name: teaching-hours
                  days: [mon, tue, wed, thu, fri]
                  on: school_days
                  times: [{ from: "08:45", to: "15:30" }]
                  block: [social-networking, webmail]
          lists:
            - { name: iwf, format: plain, path: lists/iwf.txt, category: child-abuse }
            - { name: ut1, format: squidguard, path: /var/lib/ut1 }
          networks:
            - { name: pupil-vlan, cidr: 10.20.0.0/16, group: ks1 }
            - { name: staff-v6, cidr: "fd00:30::/64", group: staff }
          dns:
            enabled: true
            listen: ["127.0.0.1:5353"]
            upstreams: ["1.1.1.1", "10.0.0.2:53"]
            blocked_answer: address
            block_page_ipv4: "10.0.0.10"
            block_page_ipv6: "fd00::10"
            sign_in_binding_minutes: 60
            short_ttl_seconds: 5
        """;

    private static string Yaml => PolicyLoaderTests.Valid + Filtering;

    private static string Edit(string find, string replace)
    {
        Yaml.ShouldContain(find);
        return Yaml.Replace(find, replace, StringComparison.Ordinal);
    }

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(text, StringComparison.Ordinal)).i + 1;

    [Fact]
    public void Load_FilteringSection_BuildsTypedModel()
    {
        var policy = PolicyLoader.LoadValid(Yaml, "test.yaml");

        var f = policy.Filtering;
        f.FallbackGroup.ShouldBe("ks1");
        var ks1 = f.FindProfile("ks1").ShouldNotBeNull();
        ks1.Rule.ShouldBe("r1");
        ks1.Block.ShouldBe(["defaults", "streaming"]);
        ks1.YouTube.ShouldBe(YouTubeRestriction.Strict);
        ks1.SafeSearch.ShouldBeTrue();
        ks1.Allow.Select(a => a.Entry).ShouldBe(["scratch.mit.edu", "www.bbc.co.uk/bitesize"]);
        ks1.Allow[1].Expires.ShouldBe(new DateOnly(2026, 7, 22));
        ks1.Allow[1].Reason.ShouldBe("Revision");
        ks1.Deny.Single().Category.ShouldBe("chat");
        var staff = f.FindProfile("staff").ShouldNotBeNull();
        staff.SafeSearch.ShouldBeFalse();
        staff.YouTube.ShouldBeNull();
        var schedule = staff.Schedules.Single();
        schedule.Days.ShouldBe([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);
        schedule.On.ShouldBe(ScheduleDays.SchoolDays);
        schedule.Times.ShouldBe([new ScheduleWindow(new TimeOnly(8, 45), new TimeOnly(15, 30))]);
        schedule.Block.ShouldBe(["social-networking", "webmail"]);
        f.Lists.Select(l => (l.Name, l.Format, l.Category)).ShouldBe([("iwf", FilterListFormat.Plain, "child-abuse"), ("ut1", FilterListFormat.Squidguard, null)]);
        f.Networks.Select(n => n.Cidr).ShouldBe(["10.20.0.0/16", "fd00:30::/64"]);
        f.Dns.Enabled.ShouldBeTrue();
        f.Dns.Upstreams.ShouldBe(["1.1.1.1", "10.0.0.2:53"]);
        f.Dns.BlockPageIpv6.ShouldBe("fd00::10");
        f.Dns.SignInBindingMinutes.ShouldBe(60);
        f.Dns.ShortTtlSeconds.ShouldBe(5);
    }

    [Fact]
    public void Load_NoFilteringSection_EmptyModel()
    {
        var policy = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml");

        policy.Filtering.Profiles.ShouldBeEmpty();
        policy.Filtering.Dns.Enabled.ShouldBeFalse();
    }

    public static TheoryData<string, string, string, string, string> BadFiltering() => new()
    {
        {
            "category typo", "block: [defaults, streaming]", "block: [defaults, streeming]", "block: [defaults, streeming]",
            "must be one of defaults, child-abuse, terrorism, pornography, self-harm, extremism, hate, violence, weapons, drugs, malware-hacking, proxy-vpn, encrypted-dns, gambling, piracy, misinformation, dating, peer-to-peer, social-networking, chat, ai-chat, games, streaming, webmail, advertising, not 'streeming'; did you mean 'streaming'?"
        },
        {
            "illegal allowed category", "block: [pornography]", "block: [pornography]\n      allow_categories: [terrorism]", "allow_categories: [terrorism]",
            "filtering profile 'staff' allow_categories names 'terrorism', an illegal category: it is blocked for everyone, always, and no profile, list or schedule may allow it"
        },
        {
            "illegal allow entry", "- scratch.mit.edu", "- { entry: bad.example, category: child-abuse }", "entry: bad.example, category: child-abuse",
            "filtering profile 'ks1' allow entry 'bad.example' names 'child-abuse', an illegal category"
        },
        {
            "illegal schedule unblock", "block: [social-networking, webmail]", "unblock: [child-abuse]", "unblock: [child-abuse]",
            "schedule 'teaching-hours' unblock names 'child-abuse', an illegal category"
        },
        {
            "bad cidr", "cidr: 10.20.0.0/16", "cidr: 10.20.0.1/16", "cidr: 10.20.0.1/16",
            "network 'pupil-vlan' cidr '10.20.0.1/16' has bits set after the /16 prefix; the range starts at 10.20.0.0/16"
        },
        {
            "cidr not a range", "cidr: 10.20.0.0/16", "cidr: 10.20.0.300/16", "cidr: 10.20.0.300/16",
            "network 'pupil-vlan' cidr '10.20.0.300/16' has '10.20.0.300', which is not an IP address"
        },
        {
            "unknown profile group", "- group: staff", "- group: staf", "- group: staf",
            "filtering profile refers to group 'staf', which is not defined; did you mean 'staff'?"
        },
        {
            "unknown network group", "cidr: 10.20.0.0/16, group: ks1", "cidr: 10.20.0.0/16, group: ks2", "group: ks2",
            "network 'pupil-vlan' refers to group 'ks2', which is not defined; did you mean 'ks1'?"
        },
        {
            "list without category", "path: lists/iwf.txt, category: child-abuse", "path: lists/iwf.txt", "name: iwf",
            "list 'iwf' (plain) holds one category; say which with 'category'"
        },
        {
            "bad list format", "format: plain", "format: txt", "format: txt",
            "'format' must be one of plain, hosts, adblock, e2guardian, squidguard, rpz, not 'txt'"
        },
        {
            "bad entry", "- scratch.mit.edu", "- scratch mit edu", "- scratch mit edu",
            "filtering profile 'ks1' allow entry 'scratch mit edu' is not a host name"
        },
        {
            "ipv6 block page given as ipv4", "block_page_ipv6: \"fd00::10\"", "block_page_ipv6: \"10.0.0.11\"", "block_page_ipv6",
            "dns block_page_ipv6 '10.0.0.11' is not an IPv6 address"
        },
        {
            "unknown rule", "rule: r1", "rule: r2", "rule: r2",
            "filtering profile 'ks1' cites rule 'r2', which is not defined"
        },
    };

    [Theory]
    [MemberData(nameof(BadFiltering))]
    public void Load_BadFiltering_ReportsPositionedError(string name, string find, string replace, string lineText, string expected)
    {
        _ = name;
        var yaml = Edit(find, replace);

        var errors = PolicyLoader.Load(yaml, "test.yaml").Errors;

        var error = errors.ShouldHaveSingleItem();
        error.Line.ShouldBe(LineOf(yaml, lineText));
        error.Message.ShouldContain(expected);
        error.Column.ShouldBeGreaterThan(1);
    }

    [Theory]
    [InlineData("example.com", null)]
    [InlineData("*.example.com", null)]
    [InlineData("=www.example.com", null)]
    [InlineData("https://www.bbc.co.uk/bitesize", null)]
    [InlineData("bücher.example", null)]
    [InlineData("=example.com/path", "mixes")]
    [InlineData("/path", "has no host")]
    [InlineData("exa mple.com", "is not a host name")]
    public void EntryProblem_Syntax(string entry, string? problem)
    {
        var result = Validation.FilteringChecks.EntryProblem(entry);

        if (problem is null)
        {
            result.ShouldBeNull();
        }
        else
        {
            result.ShouldNotBeNull().ShouldContain(problem);
        }
    }
}
