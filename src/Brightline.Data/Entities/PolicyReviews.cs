using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A recorded review or approval of the school's acceptable-use policy (W12, O23, C22): who reviewed or approved it
/// (the governing board, the head …), on what date, under which minute reference, and the next review date agreed.
/// The policy file says who must approve; this is the evidence that they did. Never changed once recorded.
/// </summary>
public sealed class PolicyReviewRecord
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The policy version the review or approval was of (the active one when it was recorded).</summary>
    public required string PolicyVersion { get; set; }
    /// <summary>"reviewed" or "approved" (<c>PolicyReviewKinds</c> in the host).</summary>
    public required string Kind { get; set; }
    /// <summary>The date of the meeting or decision, not of the recording.</summary>
    public DateOnly On { get; set; }
    /// <summary>Who reviewed or approved, as the minutes name them: "Governing Body", "Helen Marsh (Headteacher)".</summary>
    public required string By { get; set; }
    public string? MinuteReference { get; set; }
    /// <summary>The next review date agreed at the meeting, if one was.</summary>
    public DateOnly? NextReview { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedBy { get; set; }
}

/// <summary>
/// One reminder about the policy's review sent to its owner: the unique (school, review date, stage) key is what stops
/// a second node or a second pass sending it again (inserted in the same transaction as the email).
/// </summary>
public sealed class PolicyReviewReminder
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public DateOnly NextReview { get; set; }
    /// <summary>"30-days", "7-days", "due", or "overdue-yyyy-MM-dd" (one a week while the review is late).</summary>
    public required string Stage { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public int Recipients { get; set; }
}

public sealed class PolicyReviewRecordConfiguration : IEntityTypeConfiguration<PolicyReviewRecord>
{
    public void Configure(EntityTypeBuilder<PolicyReviewRecord> e)
    {
        e.ToTable("policy_reviews");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.PolicyVersion).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.By).HasMaxLength(256);
        e.Property(x => x.MinuteReference).HasMaxLength(256);
        e.Property(x => x.Note).HasMaxLength(4000);
        e.Property(x => x.RecordedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.On });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class PolicyReviewReminderConfiguration : IEntityTypeConfiguration<PolicyReviewReminder>
{
    public void Configure(EntityTypeBuilder<PolicyReviewReminder> e)
    {
        e.ToTable("policy_review_reminders");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Stage).HasMaxLength(32);
        e.HasIndex(x => new { x.SchoolId, x.NextReview, x.Stage }).IsUnique();
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
