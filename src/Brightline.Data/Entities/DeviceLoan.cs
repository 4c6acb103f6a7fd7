using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// One entry in the loan book (C15): a device signed out to an adult or a class, with the purpose and when it is due,
/// and — once it is back — who signed it in and whether it went back to the suite and on charge. A row is written when
/// the device goes out and completed once when it comes back; the device's own state (<see cref="DeviceState.OnLoan"/>)
/// and history move with it.
/// </summary>
public sealed class DeviceLoan
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid DeviceId { get; set; }
    /// <summary>The adult who took it (C15: "date, adult/class, purpose"), when it went to a person.</summary>
    public Guid? BorrowerPersonId { get; set; }
    /// <summary>The class it went to (e.g. "4 Ash"), when it went to a class.</summary>
    public string? BorrowerClass { get; set; }
    public required string Purpose { get; set; }
    public DateTimeOffset OutAt { get; set; }
    /// <summary>Due back; by default the end of the school day from the calendar (or the policy's loan day end).</summary>
    public DateTimeOffset DueAt { get; set; }
    public required string OutBy { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }
    public string? ReturnedBy { get; set; }
    /// <summary>C15: put back in the suite (null when the policy does not ask).</summary>
    public bool? ReturnedToSuite { get; set; }
    /// <summary>C15: put on charge (null when the policy does not ask).</summary>
    public bool? Charged { get; set; }
    /// <summary>When the overdue list last named this loan, so the end-of-day email names each loan once a day.</summary>
    public DateTimeOffset? OverdueNotifiedAt { get; set; }
}

public sealed class DeviceLoanConfiguration : IEntityTypeConfiguration<DeviceLoan>
{
    public void Configure(EntityTypeBuilder<DeviceLoan> e)
    {
        e.ToTable("device_loans");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.BorrowerClass).HasMaxLength(100);
        e.Property(x => x.Purpose).HasMaxLength(500);
        e.Property(x => x.OutBy).HasMaxLength(256);
        e.Property(x => x.ReturnedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.DeviceId, x.OutAt });
        e.HasIndex(x => new { x.SchoolId, x.ReturnedAt, x.DueAt });
        e.HasIndex(x => new { x.SchoolId, x.BorrowerPersonId });
        // The loan book's default order (newest out first): its pages, late pages and export read 50,000 loans in this
        // order without sorting them all (bench/devices/run.sh).
        e.HasIndex(x => new { x.SchoolId, x.OutAt, x.Id });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.BorrowerPersonId).OnDelete(DeleteBehavior.Restrict);
    }
}
