using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// The <c>passwords:</c> section (issue 15; F3, C16, H13): rules per group, checked with positions; the seeds' rules
/// parsed; the maximum age counted in days, half terms and terms on the calendar.
/// </summary>
public sealed class PasswordsPolicyTests
{
    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    private static SchoolPolicy Seed(string file) =>
        PolicyLoader.LoadValid(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file)), file);

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((l, i) => (l, i)).Last(x => x.l.Contains(text, StringComparison.Ordinal)).i + 1;

    [Fact]
    public void NoSection_EveryoneHasTheBuiltInRule_12CharactersNotCommon()
    {
        var passwords = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml").Passwords;
        passwords.Rules.ShouldBeEmpty();
        var rule = passwords.For(["staff"]).ShouldHaveSingleItem();
        rule.ShouldBeSameAs(PasswordRule.BuiltIn);
        rule.MinLength.ShouldBe(12);
        rule.MinUniqueChars.ShouldBe(5);
        rule.Reject.ShouldBe([PasswordRejection.Common]);
        rule.MaxAge.ShouldBeNull();
    }

    [Fact]
    public void FullRule_ReadsEveryKey_AndTheDefaultRuleCoversEveryoneElse()
    {
        var yaml = With("""
            passwords:
              rules:
                - groups: [staff]
                  min_length: 8
                  require: [lower, upper, digit, symbol]
                  reject: [common, school_name, own_name, staff_names]
                  remember: all
                  max_age: 90 days
                  warn_before_days: 10
                  compromised: { notify: [it_provider, head, business_manager], register: security }
                  requirements: [F3]
                - min_length: 14
                  remember: 3
            """);
        var passwords = PolicyLoader.LoadValid(yaml, "test.yaml").Passwords;

        var staff = passwords.For(["staff"]).ShouldHaveSingleItem();
        staff.MinLength.ShouldBe(8);
        staff.Require.ShouldBe([PasswordCharClass.Lower, PasswordCharClass.Upper, PasswordCharClass.Digit, PasswordCharClass.Symbol]);
        staff.Reject.ShouldBe([PasswordRejection.Common, PasswordRejection.SchoolName, PasswordRejection.OwnName, PasswordRejection.StaffNames]);
        staff.RememberAll.ShouldBeTrue();
        staff.MaxAge.ShouldBe(new PasswordMaxAge(90, PasswordAgeUnit.Days));
        staff.WarnBeforeDays.ShouldBe(10);
        staff.Compromised!.Notify.ShouldBe(["it_provider", "head", "business_manager"]);
        staff.Compromised.Register.ShouldBe("security");
        staff.Requirements.ShouldBe(["F3"]);

        var others = passwords.For(["ks1"]).ShouldHaveSingleItem();
        others.MinLength.ShouldBe(14);
        others.Remember.ShouldBe(3);
        passwords.For([]).ShouldHaveSingleItem().ShouldBeSameAs(others, "an account with no person has the default rule");
    }

    [Fact]
    public void UnknownKeysAndWords_AreErrorsWithPositions()
    {
        var yaml = With("""
            passwords:
              rules:
                - groups: [staf]
                  min_lenght: 8
                  require: [digits]
                  reject: [common, school]
                  remember: always
                  max_age: fortnightly
                  compromised: { register: securty, notify: [it] }
            """);
        var errors = Errors(yaml);
        errors.ShouldContain(e => e.StartsWith($"test.yaml:{LineOf(yaml, "groups: [staf]")}:", StringComparison.Ordinal) && e.Contains("group 'staf', which is not defined", StringComparison.Ordinal) && e.Contains("staff", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith($"test.yaml:{LineOf(yaml, "min_lenght")}:", StringComparison.Ordinal) && e.Contains("unknown key 'min_lenght'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("'digits'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("'school'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith($"test.yaml:{LineOf(yaml, "remember: always")}:", StringComparison.Ordinal) && e.Contains("'remember'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith($"test.yaml:{LineOf(yaml, "max_age: fortnightly")}:", StringComparison.Ordinal) && e.Contains("'max_age'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("'securty'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("'it'", StringComparison.Ordinal));
    }

    [Fact]
    public void HalfTermAge_OnACalendarWithoutTerms_IsAnErrorAtTheAge()
    {
        var yaml = With("""
            passwords:
              rules:
                - groups: [staff]
                  max_age: 1 half term
            """);
        var error = Errors(yaml).ShouldHaveSingleItem();
        error.ShouldStartWith($"test.yaml:{LineOf(yaml, "max_age: 1 half term")}:");
        error.ShouldContain("school.calendar has no 'terms'");
    }

    [Fact]
    public void GroupInTwoRules_TwoDefaultRules_WarningWithoutAge_AreErrors()
    {
        var yaml = With("""
            passwords:
              rules:
                - groups: [staff]
                  warn_before_days: 7
                - groups: [staff]
                - min_length: 10
                - min_length: 11
            """);
        var errors = Errors(yaml);
        errors.ShouldContain(e => e.Contains("group 'staff' is already in the rule", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("only one default rule", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("no 'max_age'", StringComparison.Ordinal));
    }

    [Fact]
    public void F3_Westfield_StaffRuleAsTheSeedSays()
    {
        var rule = Seed("westfield.yaml").Passwords.For(["staff"]).ShouldHaveSingleItem();
        rule.MinLength.ShouldBe(8);
        rule.Require.ShouldBe([PasswordCharClass.Digit, PasswordCharClass.Symbol]);
        rule.Reject.ShouldBe([PasswordRejection.Common, PasswordRejection.SchoolName, PasswordRejection.OwnName, PasswordRejection.StaffNames]);
        rule.RememberAll.ShouldBeTrue();
        rule.Compromised!.Notify.ShouldBe(["it_provider", "head", "business_manager"]);
        rule.Requirements.ShouldBe(["F3"]);
        Seed("westfield.yaml").Passwords.For(["pupils"]).ShouldHaveSingleItem().ShouldBeSameAs(PasswordRule.BuiltIn);
    }

    [Fact]
    public void C16_StClements_StaffEveryHalfTerm_H13_WestbrookHay_Regularly()
    {
        Seed("st-clements.yaml").Passwords.For(["staff"]).ShouldHaveSingleItem().MaxAge.ShouldBe(new PasswordMaxAge(1, PasswordAgeUnit.HalfTerms));
        var h13 = Seed("westbrook-hay.yaml").Passwords.For(["staff"]).ShouldHaveSingleItem();
        h13.MaxAge.ShouldNotBeNull();
        h13.Requirements.ShouldBe(["H13"]);
        Seed("example.yaml").Passwords.For(["parents"]).ShouldHaveSingleItem().ShouldBeSameAs(PasswordRule.BuiltIn, "example.yaml's parents and pupils keep the built-in rule");
    }

    [Fact]
    public void C16_HalfTermAge_EndsWhenTheNextHalfTermStarts()
    {
        var calendar = Seed("st-clements.yaml").School.Calendar;
        var halfTerm = new PasswordMaxAge(1, PasswordAgeUnit.HalfTerms);
        // Autumn 2026 first half (2 Sep – 23 Oct): expires on the first day back after the October break (Monday 2 November).
        halfTerm.ExpiresOn(new DateOnly(2026, 9, 10), calendar).ShouldBe(new DateOnly(2026, 11, 2));
        // Changed in the October break: counts for the second half, so lasts until the spring term starts.
        halfTerm.ExpiresOn(new DateOnly(2026, 10, 28), calendar).ShouldBe(new DateOnly(2027, 1, 4));
        // Second half of the autumn term → spring term.
        halfTerm.ExpiresOn(new DateOnly(2026, 11, 2), calendar).ShouldBe(new DateOnly(2027, 1, 4));
        new PasswordMaxAge(2, PasswordAgeUnit.HalfTerms).ExpiresOn(new DateOnly(2026, 9, 10), calendar).ShouldBe(new DateOnly(2027, 1, 4));
        new PasswordMaxAge(1, PasswordAgeUnit.Terms).ExpiresOn(new DateOnly(2026, 9, 10), calendar).ShouldBe(new DateOnly(2027, 1, 4));
        new PasswordMaxAge(90, PasswordAgeUnit.Days).ExpiresOn(new DateOnly(2026, 9, 10), calendar).ShouldBe(new DateOnly(2026, 12, 9));
        // Beyond the last listed term: counted as 7 weeks, never "never".
        halfTerm.ExpiresOn(new DateOnly(2027, 7, 10), calendar).ShouldBe(new DateOnly(2027, 7, 10).AddDays(49));
    }
}
