using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// The incident register's core (issue 5, section 1). Records are evidence: an incident's timeline is
// append-only, and a correction is a new entry that names the one it corrects.

public sealed class Incident
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>safeguarding, behaviour, staff_violation, security, data_breach, lost_device or filter_report.</summary>
    public required string Kind { get; set; }
    public required string Title { get; set; }
    /// <summary>Policy rule IDs cited, comma-separated.</summary>
    public string? RuleIds { get; set; }
    /// <summary>open or closed.</summary>
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

public sealed class IncidentPerson
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public Guid PersonId { get; set; }
}

public sealed class IncidentEntry
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Author { get; set; }
    public required string Text { get; set; }
    /// <summary>The entry this one corrects; the corrected entry stays as it was.</summary>
    public long? CorrectsEntryId { get; set; }
}

public sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> e)
    {
        e.ToTable("incidents");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.RuleIds).HasMaxLength(500);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.Status });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class IncidentPersonConfiguration : IEntityTypeConfiguration<IncidentPerson>
{
    public void Configure(EntityTypeBuilder<IncidentPerson> e)
    {
        e.ToTable("incident_people");
        e.HasIndex(x => new { x.IncidentId, x.PersonId }).IsUnique();
        e.HasIndex(x => x.PersonId);
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class IncidentEntryConfiguration : IEntityTypeConfiguration<IncidentEntry>
{
    public void Configure(EntityTypeBuilder<IncidentEntry> e)
    {
        e.ToTable("incident_entries");
        e.Property(x => x.Author).HasMaxLength(256);
        e.Property(x => x.Text).HasMaxLength(10000);
        e.HasIndex(x => x.IncidentId);
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<IncidentEntry>().WithMany().HasForeignKey(x => x.CorrectsEntryId).OnDelete(DeleteBehavior.Restrict);
    }
}
