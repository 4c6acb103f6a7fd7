using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Photo and media consent (F11, C14; docs/consents.md). Answers are appended, never changed or deleted: the state of a
// child's consent is the latest answer in force, and a withdrawal is a newer "no" with a note, so the history of who
// said what, and when, is always there to show.

/// <summary>How an answer reached the register; also says whose consent it is (a parent's, or the child's own).</summary>
public enum ConsentMethod
{
    /// <summary>A parent answered through their emailed link.</summary>
    ParentForm,
    /// <summary>Staff recorded a parent's answer from a paper form (or a letter, or an email).</summary>
    Paper,
    /// <summary>Staff recorded a parent's withdrawal, however it was given (always a "no", with a note).</summary>
    Withdrawal,
    /// <summary>C14: staff recorded the child's own verbal consent (or refusal).</summary>
    ChildVerbal,
}

public static class ConsentMethods
{
    public static readonly StoredWords<ConsentMethod> Words = new("consent_answers.Method",
        (ConsentMethod.ParentForm, "parent_form"),
        (ConsentMethod.Paper, "paper"),
        (ConsentMethod.Withdrawal, "withdrawal"),
        (ConsentMethod.ChildVerbal, "child_verbal"));

    public static string Key(this ConsentMethod method) => Words.Word(method);

    /// <summary>Whether the answer is the child's own verbal consent rather than a parent's.</summary>
    public static bool IsChilds(this ConsentMethod method) => method == ConsentMethod.ChildVerbal;
}

/// <summary>One yes/no answer to one consent question about one child. Append-only.</summary>
public sealed class ConsentAnswer
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The child the answer is about (a person at the school).</summary>
    public Guid ChildId { get; set; }
    /// <summary>The policy's question ID (consents.questions[].id).</summary>
    public required string QuestionId { get; set; }
    public bool Given { get; set; }
    public ConsentMethod Method { get; set; }
    /// <summary>The parent who answered (their own link, or named on a paper form), when a parent did.</summary>
    public Guid? ParentId { get; set; }
    /// <summary>The staff account that recorded it, when staff did.</summary>
    public string? RecordedByUserId { get; set; }
    /// <summary>Who answered or recorded it, in words, as it was at the time ("Sarah Green (parent)", "Mrs Patel").</summary>
    public required string AnsweredBy { get; set; }
    public DateTimeOffset AnsweredAt { get; set; }
    /// <summary>The academic year it was given in ("2026/27"), from the policy's academic_year_start: a yearly question counts only this year's answers.</summary>
    public required string AcademicYear { get; set; }
    public string? Note { get; set; }
}

/// <summary>
/// A parent's emailed link to answer the consent questions for their own children (single use, expiring, stored only
/// as a SHA-256 of the token — the countersign link's mechanism).
/// </summary>
public sealed class ConsentLink
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public required string TokenHash { get; set; }
    public Guid ParentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public required string CreatedBy { get; set; }
}

public sealed class ConsentAnswerConfiguration : IEntityTypeConfiguration<ConsentAnswer>
{
    public void Configure(EntityTypeBuilder<ConsentAnswer> e)
    {
        e.ToTable("consent_answers");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.QuestionId).HasMaxLength(64);
        e.Property(x => x.Method).HasConversion(ConsentMethods.Words.Converter).HasMaxLength(16);
        e.Property(x => x.RecordedByUserId).HasMaxLength(64);
        e.Property(x => x.AnsweredBy).HasMaxLength(256);
        e.Property(x => x.AcademicYear).HasMaxLength(16);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.HasIndex(x => new { x.SchoolId, x.ChildId, x.QuestionId });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.ChildId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ConsentLinkConfiguration : IEntityTypeConfiguration<ConsentLink>
{
    public void Configure(EntityTypeBuilder<ConsentLink> e)
    {
        e.ToTable("consent_links");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.TokenHash).HasMaxLength(64);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.HasIndex(x => x.TokenHash).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.ParentId });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}
