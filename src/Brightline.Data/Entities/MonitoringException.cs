using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Issue 16 part 4 (host half): a school's own monitoring exceptions. A DSL who records "false positive" may propose
// a context phrase that cancels hits of one category where it surrounds them; a second safeguarding lead approves or
// rejects it; approved ones apply to that school's scans only, until withdrawn.

/// <summary>Where a school's exception stands.</summary>
public enum MonitoringExceptionState
{
    Proposed,
    Approved,
    Rejected,
    Withdrawn,
}

public static class MonitoringExceptionStates
{
    public static readonly StoredWords<MonitoringExceptionState> Words = new("monitoring_exceptions.State",
        (MonitoringExceptionState.Proposed, "proposed"),
        (MonitoringExceptionState.Approved, "approved"),
        (MonitoringExceptionState.Rejected, "rejected"),
        (MonitoringExceptionState.Withdrawn, "withdrawn"));

    public static string Key(this MonitoringExceptionState state) => Words.Word(state);
}

/// <summary>One exception in a school's own library: the phrase, the category whose hits it cancels, and its review.</summary>
public sealed class MonitoringException
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The context phrase as the DSL wrote it (library syntax for one phrase, no fields).</summary>
    public required string Phrase { get; set; }
    /// <summary>The monitoring category whose overlapping hits it cancels (the source alert's).</summary>
    public required string Category { get; set; }
    public required MonitoringExceptionState State { get; set; }
    /// <summary>The false-positive alert it was proposed from; null once that alert has been erased.</summary>
    public long? SourceAlertId { get; set; }
    /// <summary>The library phrase the source alert matched, kept so the review still shows what the exception is for.</summary>
    public required string MatchedPhrase { get; set; }
    /// <summary>How many of the school's past alerts it would have silenced when it was proposed.</summary>
    public int SilencedAtProposal { get; set; }
    public required string ProposedBy { get; set; }
    public DateTimeOffset ProposedAt { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewNote { get; set; }
    public string? WithdrawnBy { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawNote { get; set; }
}

public sealed class MonitoringExceptionConfiguration : IEntityTypeConfiguration<MonitoringException>
{
    public void Configure(EntityTypeBuilder<MonitoringException> e)
    {
        e.ToTable("monitoring_exceptions");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Phrase).HasMaxLength(200);
        e.Property(x => x.Category).HasMaxLength(64);
        e.Property(x => x.State).HasConversion(MonitoringExceptionStates.Words.Converter).HasMaxLength(16);
        e.Property(x => x.MatchedPhrase).HasMaxLength(300);
        e.Property(x => x.ProposedBy).HasMaxLength(256);
        e.Property(x => x.ReviewedBy).HasMaxLength(256);
        e.Property(x => x.ReviewNote).HasMaxLength(4000);
        e.Property(x => x.WithdrawnBy).HasMaxLength(256);
        e.Property(x => x.WithdrawNote).HasMaxLength(4000);
        e.HasIndex(x => new { x.SchoolId, x.State });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<MonitoringAlert>().WithMany().HasForeignKey(x => x.SourceAlertId).OnDelete(DeleteBehavior.SetNull);
    }
}
