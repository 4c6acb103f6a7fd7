using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A letter to a child's parents about a sanction (issue 15 part 6; C13): who sent it, when, to whom — or, when no
/// parent has an email address, that nothing was sent and why. Never updated or deleted: each send is its own row,
/// so a school can show exactly what parents were told.
/// </summary>
public sealed class SanctionLetter
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid SanctionId { get; set; }
    /// <summary>The child the sanction is on.</summary>
    public Guid PersonId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The portal user who sent it (for an automatic letter, the one who imposed the sanction).</summary>
    public required string By { get; set; }
    /// <summary>Sent because the policy says parents are always told of this kind, rather than by a button.</summary>
    public bool Automatic { get; set; }
    /// <summary>Whether an email was queued to at least one parent.</summary>
    public bool Sent { get; set; }
    /// <summary>The parents written to, as "Name &lt;address&gt;" separated by "; " (empty when nothing was sent).</summary>
    public required string Recipients { get; set; }
    /// <summary>Why nothing (or not everyone) was sent, e.g. no parent with an email address.</summary>
    public string? Note { get; set; }
}

public sealed class SanctionLetterConfiguration : IEntityTypeConfiguration<SanctionLetter>
{
    public void Configure(EntityTypeBuilder<SanctionLetter> e)
    {
        e.ToTable("sanction_letters");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.By).HasMaxLength(256);
        e.Property(x => x.Recipients).HasMaxLength(2000);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.HasIndex(x => new { x.SchoolId, x.SanctionId });
        e.HasOne<Sanction>().WithMany().HasForeignKey(x => x.SanctionId).OnDelete(DeleteBehavior.Restrict);
    }
}
