using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// O15: <c>sanctions.reasons</c> — a disclosed password and what it leads to per group, read from Omnicom's own file;
/// an unknown reason, consequence or group is an error at its line and column, never a silent default.
/// </summary>
public sealed class SanctionReasonsPolicyTests
{
    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void O15_Omnicom_DisclosedPassword_DisciplinaryForStaffAndPupils_SuspendedForParentsAndVolunteers()
    {
        var policy = PolicyLoader.LoadValid(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, "omnicom-primary.yaml")), "omnicom-primary.yaml");
        var reason = policy.Sanctions.FindReason(SanctionReasonKeys.PasswordDisclosed).ShouldNotBeNull();
        reason.Label.ShouldBe("Disclosed a password");
        reason.Requirements.ShouldBe(["O15"]);
        reason.For(["staff"])!.Value.Value.ShouldBe(SanctionConsequenceKeys.Disciplinary);
        reason.For(["upper_ks2"])!.Value.Value.ShouldBe(SanctionConsequenceKeys.Disciplinary);
        reason.For(["parents"])!.Value.Value.ShouldBe(SanctionConsequenceKeys.SuspendAccount);
        reason.For(["volunteers"])!.Value.Value.ShouldBe(SanctionConsequenceKeys.SuspendAccount);
        reason.For(["visitors"]).ShouldBeNull("the seed says nothing for visitors");
        // A parent who is also staff: the first group the policy lists decides.
        reason.For(["parents", "staff"])!.Value.Key.ShouldBe("staff");
        // O5: the access-change approval type, and O17: security incidents reach the ICT Coordinator.
        policy.Approvals.Find("access_change")!.Approvers.ShouldBe(["computing_lead", "it_provider"]);
        policy.Incidents.Kinds.Single(k => k.Key == IncidentKindKeys.Security).Notify.ShouldContain("computing_lead");
    }

    [Fact]
    public void O15_UnknownReasonConsequenceOrGroup_IsAnErrorAtItsPosition()
    {
        Errors(With("""
            sanctions:
              reasons:
                password_disclosed:
                  by_group: { ks1: disciplinary, staff: suspend_account }
            """)).ShouldBeEmpty();

        var unknownReason = Errors(With("""
            sanctions:
              reasons:
                swore_online:
                  by_group: { ks1: disciplinary }
            """));
        unknownReason.ShouldContain(e => e.StartsWith("test.yaml:30:5:", StringComparison.Ordinal) && e.Contains("swore_online", StringComparison.Ordinal), string.Join('\n', unknownReason));

        var unknownConsequence = Errors(With("""
            sanctions:
              reasons:
                password_disclosed:
                  by_group:
                    staff: written_warning
            """));
        unknownConsequence.ShouldContain(e => e.StartsWith("test.yaml:32:16:", StringComparison.Ordinal) && e.Contains("written_warning", StringComparison.Ordinal), string.Join('\n', unknownConsequence));

        var unknownGroup = Errors(With("""
            sanctions:
              reasons:
                password_disclosed:
                  by_group:
                    parents: suspend_account
            """));
        unknownGroup.ShouldContain(e => e.StartsWith("test.yaml:32:9: sanctions: reason 'password_disclosed' names group 'parents', which is not a group of the policy", StringComparison.Ordinal), string.Join('\n', unknownGroup));

        var notProvided = Errors(With("""
            sanctions:
              reasons:
                password_disclosed:
                  by_group:
                    staff: suspend_account
            """).Replace("    kind: conduct", "    kind: sanction\n    sanctions: [withdraw_internet]", StringComparison.Ordinal));
        notProvided.ShouldContain(e => e.StartsWith("test.yaml:33:16: sanctions: reason 'password_disclosed' leads to 'suspend_account' for 'staff'", StringComparison.Ordinal), string.Join('\n', notProvided));
    }
}
