using Brightline.Data.Entities;
using Brightline.Policy;
using Brightline.Policy.Model;

namespace Brightline.PolicyReviews;

/// <summary>Where a school's policy review stands today: the date in the file, the date agreed since, and the last record.</summary>
public sealed record PolicyReviewStatus(
    PolicyMetadata Metadata,
    DateOnly NextReview,
    int DaysToGo,
    PolicyReviewRecord? LastRecord)
{
    public bool Overdue => DaysToGo < 0;

    public bool DueSoon => DaysToGo is >= 0 and <= PolicyAdvisories.ReviewSoonDays;
}
