using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// One change to what someone may do (a sanction, an approval, a signature, a sign-in, a leaver), written in
/// the same transaction as the change itself, so every process (the portal, a separate <c>brightline dns</c>)
/// can read it and drop what it cached. A row is a notice, not a record: rows are purged after a day.
/// </summary>
/// <remarks>
/// No foreign keys: a notice must never stop a person being erased or a school's data being removed, and it
/// names a person only by id for at most a day.
/// </remarks>
public sealed class AccessChangeRecord
{
    /// <summary>Increasing id; readers ask for ids greater than the last they saw.</summary>
    public long Id { get; set; }

    public required string SchoolId { get; set; }

    /// <summary>The person whose access changed; null when the change is school-wide.</summary>
    public Guid? PersonId { get; set; }

    /// <summary>A short code for what happened (e.g. <c>sanction-imposed</c>); never personal data.</summary>
    public required string Reason { get; set; }

    public DateTimeOffset At { get; set; }
}

public sealed class AccessChangeRecordConfiguration : IEntityTypeConfiguration<AccessChangeRecord>
{
    public void Configure(EntityTypeBuilder<AccessChangeRecord> e)
    {
        e.ToTable("access_changes");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedOnAdd();
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Reason).HasMaxLength(64);
        e.HasIndex(x => x.At);
    }
}
