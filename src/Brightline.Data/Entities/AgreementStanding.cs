using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Issue 18 part 1 (set-based agreement state): each person's standing on each agreement they owe, kept as data so the
// dashboard, the agreements pages, the people filters and chases are indexed queries instead of a computation per
// person in memory. Rows are written only by Brightline.Agreements.AgreementStandings, which evaluates the one set of
// rules (AgreementStatus) for the people an event touched. "Due" or "overdue" depends on the day, so it is not stored:
// readers compare DueBy with today.

/// <summary>One agreement one person must have signed under the active policy, and how far it has got.</summary>
public sealed class AgreementStanding
{
    public required string SchoolId { get; set; }
    public Guid PersonId { get; set; }
    public required string AgreementId { get; set; }
    /// <summary>The agreement text version it was evaluated against (the one a signature must match).</summary>
    public long AgreementVersionId { get; set; }
    public bool NeedsSelf { get; set; }
    public bool NeedsParent { get; set; }
    public bool SelfSigned { get; set; }
    public bool ParentSigned { get; set; }
    /// <summary>A parent signs on the person's behalf (W6, <c>parent_signs_for</c>).</summary>
    public bool OnBehalf { get; set; }
    /// <summary>Everyone who must sign has: nothing outstanding.</summary>
    public bool Signed { get; set; }
    public DateOnly DueBy { get; set; }
    /// <summary>Since when a valid signature has been missing; null when signed.</summary>
    public DateOnly? MissingSince { get; set; }
    /// <summary>The parent whose signature counts, when one does.</summary>
    public Guid? ParentSignerId { get; set; }
}

/// <summary>
/// What a school's standings were last computed from. When any part differs from the school's present state (another
/// policy or agreement text, a new academic year, people added or changed outside an import, an official-capacity
/// approval starting or ending), the standings are brought up to date before anyone reads them.
/// </summary>
public sealed class AgreementStandingStamp
{
    public required string SchoolId { get; set; }
    /// <summary>"agreement=version;…" for the active policy's agreements.</summary>
    public required string Versions { get; set; }
    public DateOnly YearStart { get; set; }
    public int PeopleCount { get; set; }
    public DateTimeOffset? PeopleUpdatedAt { get; set; }
    /// <summary>"person:group,group;…" for the official-capacity approvals in force (O14).</summary>
    public required string OfficialCapacity { get; set; }
    public DateTimeOffset RefreshedAt { get; set; }
}

public sealed class AgreementStandingConfiguration : IEntityTypeConfiguration<AgreementStanding>
{
    public void Configure(EntityTypeBuilder<AgreementStanding> e)
    {
        e.ToTable("agreement_standings");
        e.HasKey(x => new { x.PersonId, x.AgreementId });
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.AgreementId).HasMaxLength(100);
        // The dashboard and the agreements page count a school's rows by agreement and by state.
        e.HasIndex(x => new { x.SchoolId, x.AgreementId, x.Signed, x.DueBy });
        e.HasIndex(x => new { x.SchoolId, x.Signed, x.DueBy });
        // One person's state from the index alone (the dashboard's per-person sums, the people list's state filter).
        e.HasIndex(x => new { x.PersonId, x.Signed, x.DueBy, x.AgreementId });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AgreementStandingStampConfiguration : IEntityTypeConfiguration<AgreementStandingStamp>
{
    public void Configure(EntityTypeBuilder<AgreementStandingStamp> e)
    {
        e.ToTable("agreement_standing_stamps");
        e.HasKey(x => x.SchoolId);
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Versions).HasMaxLength(4000);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
