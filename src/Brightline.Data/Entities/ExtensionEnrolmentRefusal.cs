using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// An enrolment the browser extension asked for and Brightline refused (unknown email, leaver, revoked key), so
/// the IT provider can see on the Devices page why a browser did not enrol. Holds the email as the browser gave
/// it and never any key material; kept for 30 days. An unknown key names no school, so it is not recorded.
/// </summary>
public sealed class ExtensionEnrolmentRefusal
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The email the browser presented, as given (it may belong to no one at the school).</summary>
    public required string Email { get; set; }
    public required string DeviceName { get; set; }
    /// <summary>The refusal's code, as the extension receives it (<c>unknown-email</c>, <c>leaver</c>, <c>revoked-key</c>).</summary>
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
}

public sealed class ExtensionEnrolmentRefusalConfiguration : IEntityTypeConfiguration<ExtensionEnrolmentRefusal>
{
    public void Configure(EntityTypeBuilder<ExtensionEnrolmentRefusal> e)
    {
        e.ToTable("extension_enrolment_refusals");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Email).HasMaxLength(320);
        e.Property(x => x.DeviceName).HasMaxLength(200);
        e.Property(x => x.Reason).HasMaxLength(32);
        e.HasIndex(x => new { x.SchoolId, x.At });
        e.HasIndex(x => x.At);
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
