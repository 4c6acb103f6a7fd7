using Brightline.Filtering;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.WebFiltering;

namespace Brightline.Tests.Filtering;

/// <summary>The example policy compiled into profiles, and the decisions the school expects of them.</summary>
public sealed class FilterCompilerTests
{
    private static readonly Lazy<FilterCompilation> s_example = new(() =>
        FilterCompiler.Compile(PolicyLoader.LoadFile(RepoPaths.Policy("example.yaml")).Policy.ShouldNotBeNull(), Path.Combine(RepoPaths.Root, "policies"), "example"));

    private static FilterSnapshot Example => s_example.Value.Snapshot;

    /// <summary>Wednesday 25 November 2026 (term time, GMT so local = UTC) at <paramref name="hour"/>:<paramref name="minute"/>.</summary>
    private static DateTimeOffset Wednesday(int hour, int minute = 0) => new(2026, 11, 25, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Compile_ExamplePolicy_EveryProfileAndListWithoutProblems()
    {
        s_example.Value.Problems.ShouldBeEmpty();
        Example.Profiles.Keys.Order(StringComparer.Ordinal).ShouldBe(["ks1", "lower_ks2", "reception", "staff", "supply", "upper_ks2", "visitors"]);
        s_example.Value.ListSizes["social"].ShouldBeGreaterThan(0);
        s_example.Value.ListSizes["ut1-sample"].ShouldBeGreaterThan(0);
        s_example.Value.ListSizes["games"].ShouldBeGreaterThan(0);
        Example.Options.FallbackProfile.ShouldBe("visitors");
    }

    [Fact]
    public void Decide_Ks1SocialNetworking_BlockedNamingProfileAndCategory()
    {
        var d = Example.Explain(new FilterRequest("ks1", "www.facebook.com", Wednesday(10)));

        d.Outcome.ShouldBe(DecisionOutcome.Block);
        d.Reason.ShouldBe(DecisionReason.Category);
        d.Category.ShouldBe(Category.SocialNetworking);
        d.ProfileName.ShouldBe("ks1");
        d.Summary.ShouldContain("'social-networking'");
        d.Summary.ShouldContain("profile 'ks1'");
        d.Profile!.Definition.RuleId.ShouldBe("pupil-learning-only");
        d.Trace.ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("iwf-test.brightline.invalid", "iwf-test")]
    [InlineData("www.facebook.com", "ut1-sample or social")]
    public void Decide_Block_NamesTheListThatMatchedNotTheBundle(string host, string list)
    {
        // Issue 17, defect 3: the reason named "iwf-test+ctiru-test+ut1-sample+…", every list the school loads. Now it
        // names the lists that supply the blocked category: one for the illegal lists, and both where the broad UT1
        // sample and the school's own social list each carry social networking.
        var d = Example.Explain(new FilterRequest("ks1", host, Wednesday(10)));

        d.Outcome.ShouldBe(DecisionOutcome.Block);
        d.ListName.ShouldBe(list);
        d.Summary.ShouldContain($"list '{list}'");
        d.Summary.ShouldNotContain("+");
    }

    [Theory]
    [InlineData("local_deny: badsite.example (rule W3)", "On the school's block list badsite.example (rule W3)")]
    [InlineData("category: social during teaching-hours (rule O7)", "In a blocked category, from list social, during teaching-hours (rule O7)")]
    [InlineData("you_tube_restricted: restrict.youtube.com", "YouTube Restricted Mode enforced, sent to restrict.youtube.com")]
    [InlineData("sanction: restrict_categories", "Restricted by a sanction")]
    [InlineData("agreement-unsigned", "Agreement not signed yet")]
    [InlineData("something_new: x", "something_new: x")]
    public void LogReason_StoredCodes_InWords(string stored, string words) =>
        FilterWords.LogReason(stored).ShouldBe(words);

    [Fact]
    public void Category_DisplayNameNotCode() =>
        FilterWords.Category("social-networking").ShouldBe(Categories.Get(Category.SocialNetworking).DisplayName);

    [Fact]
    public void Decide_StaffSocialNetworking_BlockedInTeachingHoursAllowedAt1600_O7()
    {
        var during = Example.Explain(new FilterRequest("staff", "www.facebook.com", Wednesday(10)));
        var after = Example.Explain(new FilterRequest("staff", "www.facebook.com", Wednesday(16)));
        var saturday = Example.Decide(new FilterRequest("staff", "www.facebook.com", new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero)));

        during.Outcome.ShouldBe(DecisionOutcome.Block);
        during.Schedule.ShouldNotBeNull().Name.ShouldBe("teaching-hours");
        during.Category.ShouldBe(Category.SocialNetworking);
        during.IsTimeSensitive.ShouldBeTrue();
        after.Outcome.ShouldBe(DecisionOutcome.Allow);
        saturday.Outcome.ShouldBe(DecisionOutcome.Allow);
    }

    [Fact]
    public void Decide_HalfTerm_IsNotASchoolDaySoStaffMayUseSocialNetworking()
    {
        // Autumn 2026 half term: 26–30 October (a Wednesday in it, at 10:00 BST = 09:00 UTC).
        var d = Example.Decide(new FilterRequest("staff", "facebook.com", new DateTimeOffset(2026, 10, 28, 9, 0, 0, TimeSpan.Zero)));

        d.Outcome.ShouldBe(DecisionOutcome.Allow);
    }

    [Theory]
    [InlineData("ks1")]
    [InlineData("staff")]
    [InlineData("visitors")]
    [InlineData("reception")]
    [InlineData("nobody-at-all")]
    public void Decide_IllegalCategory_BlockedForEveryone(string profile)
    {
        var d = Example.Decide(new FilterRequest(profile, "iwf-test.brightline.invalid", Wednesday(16)));

        d.Outcome.ShouldBe(DecisionOutcome.Block);
        d.Reason.ShouldBe(DecisionReason.IllegalCategory);
        d.Category.ShouldBe(Category.ChildAbuse);
    }

    [Fact]
    public void Decide_ReceptionWalledGarden_OnlyItsAllowList()
    {
        Example.Decide(new FilterRequest("reception", "www.bbc.co.uk", Wednesday(10))).Outcome.ShouldBe(DecisionOutcome.Allow);
        Example.Decide(new FilterRequest("reception", "example.org", Wednesday(10))).Reason.ShouldBe(DecisionReason.DefaultDeny);
    }

    [Fact]
    public void Decide_UpperKs2LocalDeny_BeatsTheDefaultAndCitesItsRule()
    {
        var d = Example.Decide(new FilterRequest("upper_ks2", "discord.com", Wednesday(10)));

        d.Reason.ShouldBe(DecisionReason.LocalDeny);
        d.Rule.ShouldNotBeNull().RuleId.ShouldBe("pupil-kind-online");
        d.Rule.Reason.ShouldNotBeNull().ShouldContain("O20");
    }

    [Fact]
    public void Decide_PupilSearch_RewrittenToSafeSearch()
    {
        var d = Example.Decide(new FilterRequest("ks1", "www.google.co.uk", Wednesday(10)));

        d.Outcome.ShouldBe(DecisionOutcome.Rewrite);
        d.RewriteHost.ShouldBe("forcesafesearch.google.com");
    }

    [Fact]
    public void Compile_AllowEntryForAnIllegalListedHost_ProfileRefusedAndFallsBackClosed()
    {
        var yaml = File.ReadAllText(RepoPaths.Policy("example.yaml")).Replace(
            "        - { entry: scratch.mit.edu, reason: Computing curriculum (coding) }\n    - group: upper_ks2",
            "        - { entry: scratch.mit.edu, reason: Computing curriculum (coding) }\n        - iwf-test.brightline.invalid\n    - group: upper_ks2",
            StringComparison.Ordinal);
        var policy = PolicyLoader.LoadValid(yaml, "example.yaml");

        var compiled = FilterCompiler.Compile(policy, Path.Combine(RepoPaths.Root, "policies"), "test");

        compiled.Problems.ShouldHaveSingleItem().ShouldContain("filtering profile 'lower_ks2' refused");
        compiled.Snapshot.Profiles.ContainsKey("lower_ks2").ShouldBeFalse();
    }

    [Fact]
    public void Compile_WithLoadedLists_DoesNotReadTheListFilesAgainButAppliesNewOverrides()
    {
        var dir = Directory.CreateTempSubdirectory("bl-lists-");
        File.WriteAllText(Path.Combine(dir.FullName, "bets.txt"), "bets.example\nnot a domain!\n");
        var policy = PolicyLoader.LoadValid(File.ReadAllText(RepoPaths.Policy("example.yaml")), "example.yaml");
        policy = policy with
        {
            Filtering = policy.Filtering with
            {
                Lists = [new FilterListSource { Name = "bets", Format = FilterListFormat.Plain, Path = "bets.txt", Category = "gambling" }],
            },
        };
        var first = FilterCompiler.Compile(policy, dir.FullName, "v1");

        // An approved unblock arrives; meanwhile the list file has gone (or is being rewritten by an update).
        File.Delete(Path.Combine(dir.FullName, "bets.txt"));
        var unblock = new Brightline.Data.Entities.FilterOverride
        {
            SchoolId = "example", Profile = "staff", Entry = "bets.example", Action = Brightline.Data.Entities.FilterOverrideAction.Allow, Reason = "finance training", CreatedBy = "lead@example",
        };
        var second = FilterCompiler.Compile(policy, dir.FullName, "v1", [unblock], reuse: first.Loaded);

        second.Snapshot.Lists.ShouldBeSameAs(first.Snapshot.Lists);
        second.ListSizes["bets"].ShouldBe(1);
        second.Problems.ShouldContain(p => p.Contains("bets.txt:2:", StringComparison.Ordinal));
        second.Problems.ShouldNotContain(p => p.Contains("not found", StringComparison.Ordinal));
        second.Snapshot.Decide(new FilterRequest("ks1", "bets.example", Wednesday(10))).IsBlocked.ShouldBeTrue();
        var staff = second.Snapshot.Decide(new FilterRequest("staff", "bets.example", Wednesday(10)));
        staff.IsBlocked.ShouldBeFalse();
        staff.Reason.ShouldBe(DecisionReason.LocalAllow);
    }

    [Fact]
    public void Compile_MissingListAndBadLine_ReportedWithFileAndLine()
    {
        var dir = Directory.CreateTempSubdirectory("bl-lists-");
        File.WriteAllText(Path.Combine(dir.FullName, "bad.txt"), "good.example\nnot a domain!\n");
        var policy = PolicyLoader.LoadValid(File.ReadAllText(RepoPaths.Policy("example.yaml")), "example.yaml") with { };
        policy = policy with
        {
            Filtering = policy.Filtering with
            {
                Lists =
                [
                    new FilterListSource { Name = "bad", Format = FilterListFormat.Plain, Path = "bad.txt", Category = "gambling" },
                    new FilterListSource { Name = "gone", Format = FilterListFormat.Plain, Path = "gone.txt", Category = "gambling" },
                ],
            },
        };

        var compiled = FilterCompiler.Compile(policy, dir.FullName, "test");

        compiled.Problems.ShouldContain(p => p.Contains("bad.txt:2:", StringComparison.Ordinal));
        compiled.Problems.ShouldContain(p => p.Contains("gone.txt: list 'gone' not found", StringComparison.Ordinal));
        compiled.Snapshot.Decide(new FilterRequest("ks1", "good.example", Wednesday(10))).Category.ShouldBe(Category.Gambling);
    }

    [Fact]
    public void PolicyCategoryNames_MatchTheEngine()
    {
        FilterCategoryNames.All.ShouldBe(Categories.All.Select(c => c.Name));
        FilterCategoryNames.Illegal.ShouldBe(Categories.All.Where(c => c.IsIllegal).Select(c => c.Name));
    }

    [Fact]
    public void EveryPolicyFile_CompilesWithoutProblems()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "policies"), "*.yaml"))
        {
            var compiled = FilterCompiler.Compile(PolicyLoader.LoadFile(file).Policy.ShouldNotBeNull(), Path.Combine(RepoPaths.Root, "policies"), file);

            compiled.Problems.ShouldBeEmpty(file);
        }
    }
}
