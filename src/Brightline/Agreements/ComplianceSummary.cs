using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

public sealed record ComplianceSummary(
    IReadOnlyList<GroupCompliance> Groups,
    IReadOnlyList<ClassCompliance> Classes,
    IReadOnlyList<OverduePerson> Overdue,
    DateOnly PolicyNextReview,
    bool PolicyReviewDue);
