using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Issue 18 part 3 (several nodes): a parent chase sending in the background is a row, not an object in one node's
// memory, so the progress page answers on whichever node the load balancer picks, and two nodes cannot send one
// school's chase at once. Rows are written only by Brightline.Agreements.ChaseRuns.

/// <summary>
/// One chase of parents for countersignatures, keyed by its confirmation form's key: submitting the same confirmation
/// again finds this row. At most one unfinished row per school (a unique index on the unfinished rows).
/// </summary>
public sealed class ChaseRunRecord
{
    /// <summary>The confirmation's key.</summary>
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public required string Actor { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Reminders planned: the number the confirmation named.</summary>
    public int Total { get; set; }
    public int Countersignatures { get; set; }
    /// <summary>Children whose parents have no email address (no reminder reaches them).</summary>
    public int Unreachable { get; set; }
    /// <summary>Reminders saved so far (written after each batch).</summary>
    public int Done { get; set; }
    /// <summary>When finished normally: reminders queued for sending.</summary>
    public int? Sent { get; set; }
    /// <summary>When finished normally: reminders refused because email is switched off.</summary>
    public int? Failed { get; set; }
    /// <summary>Why it stopped early, in words for the progress page.</summary>
    public string? Error { get; set; }
    /// <summary>Null while sending.</summary>
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The process sending it (machine and process id), for an operator reading the table.</summary>
    public required string Node { get; set; }
    /// <summary>Last sign of life from the sending node; a run long silent and unfinished lost its node.</summary>
    public DateTimeOffset HeartbeatAt { get; set; }
}

public sealed class ChaseRunRecordConfiguration : IEntityTypeConfiguration<ChaseRunRecord>
{
    public void Configure(EntityTypeBuilder<ChaseRunRecord> e)
    {
        e.ToTable("chase_runs");
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Actor).HasMaxLength(256);
        e.Property(x => x.Error).HasMaxLength(1000);
        e.Property(x => x.Node).HasMaxLength(256);
        // One chase sending per school: a second node's insert fails and it shows the running one instead.
        e.HasIndex(x => x.SchoolId).IsUnique().HasFilter("\"FinishedAt\" IS NULL").HasDatabaseName("IX_chase_runs_SchoolId_Sending");
        e.HasIndex(x => new { x.SchoolId, x.StartedAt });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
