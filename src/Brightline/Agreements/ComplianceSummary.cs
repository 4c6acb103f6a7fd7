namespace Brightline.Agreements;

/// <summary>
/// The school's agreements at one moment, counted from the stored standings: the groups, classes, cards and overdue
/// list are views of the same people, so their counts agree (issue 17 defect 7).
/// </summary>
public sealed record ComplianceSummary(
    IReadOnlyList<GroupCompliance> Groups,
    IReadOnlyList<ClassCompliance> Classes,
    IReadOnlyList<OverduePerson> Overdue,
    DateOnly PolicyNextReview,
    bool PolicyReviewDue)
{
    /// <summary>How many people on roll (within the reader's view) stand in each state; the dashboard's cards.</summary>
    public IReadOnlyDictionary<ComplianceState, int> ByState { get; init; } = new Dictionary<ComplianceState, int>();

    /// <summary>Everyone counted: the cards add up to it.</summary>
    public int PeopleCount => ByState.Values.Sum();

    /// <summary>How many people are overdue; <see cref="Overdue"/> may hold only the first page of them.</summary>
    public int OverdueTotal { get; init; }
}
