using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// W1 and O1: each seed school's groups cover every audience its policy names, so everyone the
/// policy speaks to can be imported, placed in a group and asked to sign.
/// </summary>
public sealed class SeedAudienceTests
{
    private static SchoolPolicy Load(string file) =>
        PolicyLoader.LoadValid(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file)), file);

    [Fact]
    public void Wetherby_W1_GroupsCoverEyfsPupilsParentsStaffAndVolunteers()
    {
        var policy = Load("wetherby.yaml");

        policy.Groups.Select(g => g.Kind).Distinct().ShouldBe(
            [PersonKind.Pupil, PersonKind.Parent, PersonKind.Staff, PersonKind.Volunteer], ignoreOrder: true);
        // "all pupils including EYFS": the pupil groups between them hold Nursery and Reception to Year 6.
        var pupilYears = policy.Groups.Where(g => g.Kind == PersonKind.Pupil).SelectMany(g => g.YearGroups).ToList();
        pupilYears.ShouldBe(["N", "R", "1", "2", "3", "4", "5", "6"], ignoreOrder: true);
        policy.Groups.ShouldContain(g => g.Phase == Phase.Eyfs);
    }

    [Fact]
    public void Omnicom_O1_GroupsCoverGovernorsStaffPupilsVolunteersContractorsVisitorsAndParents()
    {
        var policy = Load("omnicom-primary.yaml");

        policy.Groups.Select(g => g.Kind).Distinct().ShouldBe(
            [PersonKind.Governor, PersonKind.Staff, PersonKind.Pupil, PersonKind.Volunteer,
             PersonKind.Contractor, PersonKind.Visitor, PersonKind.Parent],
            ignoreOrder: true);
    }
}
