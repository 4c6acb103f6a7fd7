using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A stored annual filtering-and-monitoring review pack (issue 5, section 5): the HTML as generated, the PDF
/// Chromium printed from it, when and by whom. England's standard asks for the review to be recorded, so a
/// pack is never changed once stored; a new review is a new pack.
/// </summary>
public sealed class ReviewPack
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The period the pack looks back over (school dates, inclusive).</summary>
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    /// <summary>The actions the head or DSL recorded as agreed at the review.</summary>
    public required string ActionsAgreed { get; set; }
    public required string Html { get; set; }
    /// <summary>The printed PDF; null when Chromium was unavailable (the HTML is then the record).</summary>
    public byte[]? Pdf { get; set; }
    public int SelfTestPassed { get; set; }
    public int SelfTestFailed { get; set; }
    public int SelfTestNotRun { get; set; }
}

public sealed class ReviewPackConfiguration : IEntityTypeConfiguration<ReviewPack>
{
    public void Configure(EntityTypeBuilder<ReviewPack> e)
    {
        e.ToTable("review_packs");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.Property(x => x.ActionsAgreed).HasMaxLength(10000);
        e.HasIndex(x => new { x.SchoolId, x.CreatedAt });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
