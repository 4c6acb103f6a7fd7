namespace Brightline.PolicyReviews;

/// <summary>What a <see cref="Data.Entities.PolicyReviewRecord"/> records.</summary>
public static class PolicyReviewKinds
{
    /// <summary>The policy was read against practice and changes agreed (W12: "last reviewed June 2025").</summary>
    public const string Reviewed = "reviewed";

    /// <summary>The body the policy names approved it (O23: the governing board; C22: the Head).</summary>
    public const string Approved = "approved";

    public static readonly IReadOnlyList<string> All = [Reviewed, Approved];

    public static string Label(string kind) => kind switch
    {
        Reviewed => "Reviewed",
        Approved => "Approved",
        _ => kind,
    };
}
