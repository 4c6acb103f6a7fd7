namespace Brightline.Agreements;

/// <summary>
/// The school's agreements at one moment, from one read (<see cref="People"/>): the groups, classes and overdue list
/// are views of the same people, so their counts agree (issue 17 defect 7).
/// </summary>
public sealed record ComplianceSummary(
    IReadOnlyList<GroupCompliance> Groups,
    IReadOnlyList<ClassCompliance> Classes,
    IReadOnlyList<OverduePerson> Overdue,
    DateOnly PolicyNextReview,
    bool PolicyReviewDue)
{
    /// <summary>Everyone on roll with their standing; the dashboard's cards count these.</summary>
    public IReadOnlyList<PersonCompliance> People { get; init; } = [];
}
