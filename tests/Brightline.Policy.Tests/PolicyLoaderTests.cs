namespace Brightline.Policy.Tests;

public sealed class PolicyLoaderTests
{
    /// <summary>A small valid policy; each bad-input case edits one line of it.</summary>
    internal const string Valid = """
        brightline: 1
        school:
          id: test
          name: Test School
          calendar:
            academic_year_start: "09-01"
        policy:
          title: AUP
          version: "1"
          owner: head
          approver: Governors
          next_review: 2026-09-01
        groups:
          - { id: ks1, name: KS1, kind: pupil, year_groups: [1, 2] }
          - { id: staff, name: Staff, kind: staff }
        rules:
          - id: r1
            kind: conduct
            text: Be kind.
            wording: { ks1: I am kind. }
        agreements:
          - id: a1
            title: Pupils
            audience: [ks1]
            signers: parent
            rules: [r1]
            affirmation: I agree.
        """;

    private static string Edit(string find, string replace)
    {
        Valid.ShouldContain(find);
        return Valid.Replace(find, replace, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void Load_ValidPolicy_BuildsModel()
    {
        var result = PolicyLoader.Load(Valid, "test.yaml");

        result.Errors.ShouldBeEmpty();
        var policy = result.Policy.ShouldNotBeNull();
        policy.School.Name.ShouldBe("Test School");
        policy.School.Calendar.YearStartMonth.ShouldBe(9);
        policy.Policy.NextReview.ShouldBe(new DateOnly(2026, 9, 1));
        policy.Groups.Select(g => g.Id).ShouldBe(["ks1", "staff"]);
        policy.Groups[0].YearGroups.ShouldBe(["1", "2"]);
        policy.Rules[0].TextFor("ks1").ShouldBe("I am kind.");
        policy.Agreements[0].Signers.ShouldBe(Model.Signers.Parent);
        policy.SourcePath.ShouldBe("test.yaml");
    }

    public static TheoryData<string, string, string, string> BadInputs() => new()
    {
        { "unknown key with suggestion", "  owner: head", "  ownr: head", "test.yaml:10:3: unknown key 'ownr' in policy; did you mean 'owner'?" },
        { "missing required key", "  owner: head", "  ownr: head", "test.yaml:8:3: policy is missing required key 'owner'" },
        { "wrong type", "  version: \"1\"", "  version: 1.5", "test.yaml:9:12: 'version' must be text, not a number (1.5); put it in quotes: \"1.5\"" },
        { "mapping where text belongs", "  title: AUP", "  title: [AUP]", "test.yaml:8:10: 'title' must be text, not a list" },
        { "bad enum", "    signers: parent", "    signers: parents", "test.yaml:25:14: 'signers' must be one of self, parent, both, not 'parents'; did you mean 'parent'?" },
        { "bad enum snake case", "    signers: parent", "    signers: Parent", "test.yaml:25:14: 'signers' must be one of self, parent, both, not 'Parent'; did you mean 'parent'?" },
        { "missing required in list item", "    title: Pupils\n", "", "test.yaml:22:5: agreements[1] is missing required key 'title'" },
        { "duplicate key", "  name: Test School\n", "  name: Test School\n  name: Other\n", "test.yaml:5:3: duplicate key 'name' (first at line 4)" },
        { "dangling group reference", "    audience: [ks1]", "    audience: [ks2]", "test.yaml:24:16: agreement 'a1' audience refers to group 'ks2', which is not defined; did you mean 'ks1'?" },
        { "dangling rule reference", "    rules: [r1]", "    rules: [r2]", "test.yaml:26:13: agreement 'a1' refers to rule 'r2', which is not defined; did you mean 'r1'?" },
        { "dangling wording key", "{ ks1: I am kind. }", "{ ks3: I am kind. }", "test.yaml:20:16: rule 'r1' has wording for group 'ks3', which is not defined; did you mean 'ks1'?" },
        { "duplicate group id", "{ id: staff, name: Staff", "{ id: ks1, name: Staff", "test.yaml:15:11: duplicate group id 'ks1' (first at line 14)" },
        { "impossible date", "2026-09-01", "2026-02-30", "test.yaml:12:16: '2026-02-30' is not a real date" },
        { "malformed date", "2026-09-01", "1/9/2026", "test.yaml:12:16: 'next_review' has an invalid value '1/9/2026' (A date written as YYYY-MM-DD (ISO 8601), e.g. 2025-09-01.)" },
        { "next review before approval", "  next_review: 2026-09-01", "  approved: 2026-10-01\n  next_review: 2026-09-01", "test.yaml:13:16: 'next_review' (1 September 2026) must be after 'approved' (1 October 2026)" },
        { "parent signs for staff", "    audience: [ks1]", "    audience: [staff]", "test.yaml:25:14: agreement 'a1' has signers 'parent', so its audience must be pupil groups; 'staff' is not" },
        { "below minimum", "    rules: [r1]", "    joiner_deadline_days: -1\n    rules: [r1]", "test.yaml:26:27: 'joiner_deadline_days' must be at least 0, not -1" },
        { "unknown top-level key", "brightline: 1", "brightline: 1\nfiltring: {}", "test.yaml:2:1: unknown key 'filtring' at the top level; did you mean 'filtering'?" },
        { "bad academic year start", "\"09-01\"", "\"9-1\"", "test.yaml:6:26: 'academic_year_start' has an invalid value '9-1' (Month and day the academic year starts, as \"MM-DD\" (quoted), e.g. \"09-01\" for 1 September.)" },
        { "sanctions on a rule that is not a sanction", "    text: Be kind.", "    text: Be kind.\n    sanctions: [withdraw_internet]", "test.yaml:20:16: rule 'r1' lists sanctions but is not of kind 'sanction'; set kind: sanction or move the sanctions to the sanction rule" },
        { "unknown sanction", "    kind: conduct", "    kind: sanction\n    sanctions: [exclusion]", "test.yaml:19:17: rules[1].sanctions[1] must be one of withdraw_internet, restrict_categories, suspend_account, parent_meeting_required, not 'exclusion'" },
        { "yaml syntax error", "  title: AUP", "  title: \"AUP", "test.yaml:8:10: YAML syntax error: while scanning a multi-line double-quoted scalar, found wrong indentation." },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Load_BadInput_ReportsPositionedError(string name, string find, string replace, string expected)
    {
        var errors = Errors(Edit(find, replace));

        errors.ShouldContain(expected, $"{name}; got:\n{string.Join('\n', errors)}");
    }

    [Fact]
    public void Load_SeveralErrors_ReportsEveryOneSortedByPosition()
    {
        var yaml = Valid
            .Replace("  owner: head", "  ownr: head", StringComparison.Ordinal)
            .Replace("    signers: parent", "    signers: parents", StringComparison.Ordinal)
            .Replace("    rules: [r1]", "    rules: [r2]", StringComparison.Ordinal)
            .Replace("kind: staff }", "kind: staf }", StringComparison.Ordinal);

        var errors = PolicyLoader.Load(yaml, "test.yaml").Errors;

        errors.Select(e => $"{e.Line}:{e.Column}").ShouldBe(["8:3", "10:3", "15:37", "25:14", "26:13"]);
        errors.ShouldBe(errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
    }

    [Fact]
    public void Load_EmptyText_ReportsEmptyFile()
    {
        var result = PolicyLoader.Load("", "empty.yaml");

        result.Succeeded.ShouldBeFalse();
        result.Errors.Single().ToString().ShouldBe("empty.yaml:1:1: the file is empty; a policy starts with 'brightline: 1'");
    }

    [Fact]
    public void Load_ScalarDocument_ReportsNotAMapping()
    {
        var result = PolicyLoader.Load("just text", "x.yaml");

        result.Errors.Single().Message.ShouldStartWith("a policy file must be a mapping");
    }

    [Fact]
    public void Load_AnchorsAndAliases_ShareWording()
    {
        var yaml = Edit("    wording: { ks1: I am kind. }", "    wording: { ks1: &kind I am kind. }\n    heading: *kind");

        var policy = PolicyLoader.LoadValid(yaml, "test.yaml");

        policy.Rules[0].Heading.ShouldBe("I am kind.");
    }

    [Fact]
    public void LoadValid_InvalidPolicy_ThrowsWithEveryError()
    {
        var ex = Should.Throw<PolicyInvalidException>(() => PolicyLoader.LoadValid(Edit("  owner: head", "  ownr: head"), "test.yaml"));

        ex.Errors.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("reveiw_every_months", "review_every_months")]
    [InlineData("reviewEveryMonths", "review_every_months")]
    [InlineData("deputy-dsl", "deputy_dsl")]
    [InlineData("colour", null)]
    public void Suggest_Typo_FindsClosestKey(string typo, string? expected)
    {
        Validation.Suggest.Closest(typo, ["review_every_months", "deputy_dsl", "kind", "next_review"]).ShouldBe(expected);
    }
}
