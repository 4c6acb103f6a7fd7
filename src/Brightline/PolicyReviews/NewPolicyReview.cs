namespace Brightline.PolicyReviews;

/// <summary>What the person recording a review or approval types (from the minutes).</summary>
public sealed record NewPolicyReview(string? Kind, DateOnly? On, string? By, string? MinuteReference, DateOnly? NextReview, string? Note);
