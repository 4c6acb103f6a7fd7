using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Chain of custody for seized or handed-in devices (issue 5, section 4; H14). A device record is written
// once; everything that happens to it afterwards is a new step, signed by the person receiving it. Nothing
// is edited in place, so the record can be shown to the police or a tribunal as it was made.

/// <summary>How the school came to have a device.</summary>
public enum CustodyOrigin
{
    Seized,
    HandedIn,
}

public static class CustodyOrigins
{
    public static readonly StoredWords<CustodyOrigin> Words = new("custody_items.Origin",
        (CustodyOrigin.Seized, "seized"),
        (CustodyOrigin.HandedIn, "handed_in"));

    public static string Key(this CustodyOrigin origin) => Words.Word(origin);
}

/// <summary>What happened to a device at one step of its chain.</summary>
public enum CustodyStepKind
{
    /// <summary>The member of staff who took the device (or was handed it) received it first.</summary>
    Taken,
    Handover,
    /// <summary>Handed to an outside body (the police, the local authority designated officer …) with their reference.</summary>
    External,
    Stored,
    Returned,
    Disposed,
}

public static class CustodyStepKinds
{
    public static readonly StoredWords<CustodyStepKind> Words = new("custody_steps.Kind",
        (CustodyStepKind.Taken, "taken"),
        (CustodyStepKind.Handover, "handover"),
        (CustodyStepKind.External, "external"),
        (CustodyStepKind.Stored, "stored"),
        (CustodyStepKind.Returned, "returned"),
        (CustodyStepKind.Disposed, "disposed"));

    public static string Key(this CustodyStepKind kind) => Words.Word(kind);
}

/// <summary>How the receiver at a step signed.</summary>
public enum CustodySignature
{
    /// <summary>The receiving portal user re-entered their password.</summary>
    Password,
    /// <summary>An outside receiver typed their full name; the recording user witnessed it with their password.</summary>
    TypedName,
}

public static class CustodySignatures
{
    public static readonly StoredWords<CustodySignature> Words = new("custody_steps.Signature",
        (CustodySignature.Password, "password"),
        (CustodySignature.TypedName, "typed_name"));

    public static string Key(this CustodySignature signature) => Words.Word(signature);
}

/// <summary>A device taken from someone (or handed in), as recorded when it was taken. Never updated.</summary>
public sealed class CustodyItem
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>What the device is, e.g. "Black iPhone 13 in a blue case".</summary>
    public required string Description { get; set; }
    /// <summary>Serial number or school asset tag, when there is one.</summary>
    public string? SerialOrTag { get; set; }
    /// <summary>Whose device it is, when known and on the school's roll.</summary>
    public Guid? OwnerPersonId { get; set; }
    public Guid? IncidentId { get; set; }
    public required CustodyOrigin Origin { get; set; }
    /// <summary>Why it was taken (H14: suspected of being used to bully, harass or transmit offensive material …).</summary>
    public required string Reason { get; set; }
    /// <summary>The name of the member of staff who took it (also the first step's receiver).</summary>
    public required string TakenBy { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>One link in a device's chain: who received it (or where it went), when, and how they signed.</summary>
public sealed class CustodyStep
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid ItemId { get; set; }
    public required CustodyStepKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The receiver's name as signed: a portal user's display name, or the full name an external receiver typed.</summary>
    public required string ReceiverName { get; set; }
    /// <summary>The receiving portal user, when the receiver signed with their password.</summary>
    public string? ReceiverUserId { get; set; }
    /// <summary>The receiver's role at the school (dsl, head …) or job title of an external receiver.</summary>
    public string? ReceiverRole { get; set; }
    /// <summary>External body, e.g. "Hertfordshire Constabulary".</summary>
    public string? ExternalBody { get; set; }
    /// <summary>The external body's reference, e.g. a crime or evidence number.</summary>
    public string? ExternalReference { get; set; }
    public string? StoragePlace { get; set; }
    public string? Note { get; set; }
    public required CustodySignature Signature { get; set; }
    /// <summary>The portal user who witnessed a typed-name signature (and confirmed with their own password).</summary>
    public string? WitnessedBy { get; set; }
    public required string RecordedBy { get; set; }
}

public sealed class CustodyItemConfiguration : IEntityTypeConfiguration<CustodyItem>
{
    public void Configure(EntityTypeBuilder<CustodyItem> e)
    {
        e.ToTable("custody_items");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Description).HasMaxLength(300);
        e.Property(x => x.SerialOrTag).HasMaxLength(100);
        e.Property(x => x.Origin).HasConversion(CustodyOrigins.Words.Converter).HasMaxLength(16);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.TakenBy).HasMaxLength(256);
        e.Property(x => x.RecordedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.TakenAt });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.OwnerPersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Incident>().WithMany().HasForeignKey(x => x.IncidentId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class CustodyStepConfiguration : IEntityTypeConfiguration<CustodyStep>
{
    public void Configure(EntityTypeBuilder<CustodyStep> e)
    {
        e.ToTable("custody_steps");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion(CustodyStepKinds.Words.Converter).HasMaxLength(16);
        e.Property(x => x.ReceiverName).HasMaxLength(256);
        e.Property(x => x.ReceiverUserId).HasMaxLength(450);
        e.Property(x => x.ReceiverRole).HasMaxLength(100);
        e.Property(x => x.ExternalBody).HasMaxLength(200);
        e.Property(x => x.ExternalReference).HasMaxLength(100);
        e.Property(x => x.StoragePlace).HasMaxLength(300);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.Signature).HasConversion(CustodySignatures.Words.Converter).HasMaxLength(16);
        e.Property(x => x.WitnessedBy).HasMaxLength(256);
        e.Property(x => x.RecordedBy).HasMaxLength(256);
        e.HasIndex(x => x.ItemId);
        e.HasOne<CustodyItem>().WithMany().HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}
