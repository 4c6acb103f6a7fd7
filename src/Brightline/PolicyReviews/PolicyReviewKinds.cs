namespace Brightline.PolicyReviews;

/// <summary>What a <see cref="Data.Entities.PolicyReviewRecord"/> records.</summary>
public static class PolicyReviewKinds
{
    /// <summary>The policy was read against practice and changes agreed (W12: "last reviewed June 2025").</summary>
    public const string Reviewed = "reviewed";

    /// <summary>The body the policy names approved it (O23: the governing board; C22: the Head).</summary>
    public const string Approved = "approved";

    /// <summary>
    /// W10: the ICT Coordinator "monitors the effective delivery ... and reports weaknesses and opportunities for
    /// improvement": a weakness found between reviews, recorded so the next review cannot miss it.
    /// </summary>
    public const string Weakness = "weakness";

    public static readonly IReadOnlyList<string> All = [Reviewed, Approved, Weakness];

    /// <summary>The kinds that are a review of the policy (a weakness report is not, and does not restart the cycle).</summary>
    public static readonly IReadOnlyList<string> Reviews = [Reviewed, Approved];

    public static string Label(string kind) => kind switch
    {
        Reviewed => "Reviewed",
        Approved => "Approved",
        Weakness => "Weakness reported",
        _ => kind,
    };
}
