using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A people-import file that was checked (a dry run) and waits for "Apply" (issue 7 of the security
/// review). Kept in the database, not in one process's memory, so any portal process can apply it and a
/// restart loses nothing; bounded in size and number per school, and purged after <see cref="ExpiresAt"/>.
/// Once applied its bytes are cleared (the SHA-256 stays) and the row only answers "already applied"
/// until it expires.
/// </summary>
public sealed class StagedImport
{
    /// <summary>128 random bits as 32 lower-case hex characters: the only handle "Apply" gets, so it must not be guessable.</summary>
    public required string Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The portal account that checked the file; only that account may apply it.</summary>
    public required string StagedByUserId { get; set; }
    public required string StagedBy { get; set; }
    /// <summary>
    /// pupils, staff or adults: the host's <c>ImportKind</c> by name. A string here because that vocabulary belongs
    /// to the people import, not to the data model; an unknown word fails when the import is applied, naming the column.
    /// </summary>
    public required string Kind { get; set; }
    /// <summary>The "full list" option the file was checked with (people missing from it become leavers).</summary>
    public bool FullImport { get; set; }
    /// <summary>The file exactly as uploaded; empty once applied.</summary>
    public required byte[] Content { get; set; }
    /// <summary>SHA-256 of the uploaded file, lower-case hex; "Apply" refuses bytes that no longer match.</summary>
    public required string Sha256 { get; set; }
    public int SizeBytes { get; set; }
    /// <summary>The check's one-line summary (counts only, no names), shown again when it is applied or refused.</summary>
    public required string Summary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public string? AppliedBy { get; set; }
}

public sealed class StagedImportConfiguration : IEntityTypeConfiguration<StagedImport>
{
    public void Configure(EntityTypeBuilder<StagedImport> e)
    {
        e.ToTable("staged_imports");
        e.Property(x => x.Id).HasMaxLength(32);
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.StagedByUserId).HasMaxLength(450);
        e.Property(x => x.StagedBy).HasMaxLength(256);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.Summary).HasMaxLength(1000);
        e.Property(x => x.AppliedBy).HasMaxLength(256);

        // The per-school bound counts a school's live checks, oldest first; the purge finds expired rows.
        e.HasIndex(x => new { x.SchoolId, x.CreatedAt });
        e.HasIndex(x => x.ExpiresAt);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
