using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// The device register (issue 14; H1, W3, F7, C15–C20). One row per device the school knows about — its own kit and
// the personal devices and removable media it has approved — whose current state is kept on the row and whose
// every change is a new device_history row. Nothing is deleted: disposal is a state with a record (H15, F7).

/// <summary>What a device is: the kinds H1 lists, plus removable media (F5, F7, C20).</summary>
public enum DeviceKind
{
    Phone,
    Laptop,
    Chromebook,
    Tablet,
    Desktop,
    Wearable,
    Recorder,
    Camera,
    Console,
    RemovableMedia,
    Other,
}

public static class DeviceKinds
{
    public static readonly StoredWords<DeviceKind> Words = new("devices.Kind",
        (DeviceKind.Phone, "phone"),
        (DeviceKind.Laptop, "laptop"),
        (DeviceKind.Chromebook, "chromebook"),
        (DeviceKind.Tablet, "tablet"),
        (DeviceKind.Desktop, "desktop"),
        (DeviceKind.Wearable, "wearable"),
        (DeviceKind.Recorder, "recorder"),
        (DeviceKind.Camera, "camera"),
        (DeviceKind.Console, "console"),
        (DeviceKind.RemovableMedia, "removable_media"),
        (DeviceKind.Other, "other"));

    public static string Key(this DeviceKind kind) => Words.Word(kind);
}

/// <summary>Whose device it is.</summary>
public enum DeviceOwnership
{
    /// <summary>Bought and owned by the school (a class iPad, a staff laptop, a school-issued USB pen).</summary>
    School,
    /// <summary>Owned by a person (a member of staff's phone, a pupil's tablet), registered after an approved request.</summary>
    Personal,
    /// <summary>Found and not yet known to be anyone's (H15).</summary>
    Unknown,
}

public static class DeviceOwnerships
{
    public static readonly StoredWords<DeviceOwnership> Words = new("devices.Ownership",
        (DeviceOwnership.School, "school"),
        (DeviceOwnership.Personal, "personal"),
        (DeviceOwnership.Unknown, "unknown"));

    public static string Key(this DeviceOwnership ownership) => Words.Word(ownership);
}

/// <summary>Where a device is in its life. Only the register's own code moves it, and every move is a history row.</summary>
public enum DeviceState
{
    InUse,
    OnLoan,
    InRepair,
    Lost,
    Stolen,
    /// <summary>Held by the school under chain of custody or as lost property (H14, H15).</summary>
    InCustody,
    /// <summary>Found on site and logged; not yet handed to the Head of IT (H15).</summary>
    Found,
    /// <summary>Gone for good, with the data wipe recorded (H15, F7). Terminal.</summary>
    Disposed,
    /// <summary>A personal device or medium whose approval ended or was refused; kept for the record.</summary>
    Withdrawn,
}

public static class DeviceStates
{
    public static readonly StoredWords<DeviceState> Words = new("devices.State",
        (DeviceState.InUse, "in_use"),
        (DeviceState.OnLoan, "on_loan"),
        (DeviceState.InRepair, "in_repair"),
        (DeviceState.Lost, "lost"),
        (DeviceState.Stolen, "stolen"),
        (DeviceState.InCustody, "in_custody"),
        (DeviceState.Found, "found"),
        (DeviceState.Disposed, "disposed"),
        (DeviceState.Withdrawn, "withdrawn"));

    public static string Key(this DeviceState state) => Words.Word(state);
}

/// <summary>A device the school knows about, with its current state. Changed only together with a <see cref="DeviceHistoryEntry"/>.</summary>
public sealed class Device
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The school's label on the device (unique in the school when set); what the loan kiosk scans.</summary>
    public string? AssetTag { get; set; }
    public string? Serial { get; set; }
    public required DeviceKind Kind { get; set; }
    /// <summary>Make and model in the school's words, e.g. "Apple iPad (10th generation)".</summary>
    public required string Model { get; set; }
    /// <summary>What people call it, e.g. "Ash class iPad 3"; shown on screen instead of an ID.</summary>
    public required string Name { get; set; }
    public required DeviceOwnership Ownership { get; set; }
    public required DeviceState State { get; set; }
    /// <summary>The person it is assigned to or owned by (a staff laptop, a personal phone).</summary>
    public Guid? PersonId { get; set; }
    /// <summary>The class it belongs to, as the policy and people import name classes (e.g. "4 Ash").</summary>
    public string? ClassName { get; set; }
    /// <summary>Where it lives, e.g. "ICT suite trolley 2".</summary>
    public string? Location { get; set; }
    /// <summary>One of the policy's <c>network.device_groups</c>: decides the VLAN on a school-devices network (O21, C3).</summary>
    public string? DeviceGroup { get; set; }
    /// <summary>Lower-case colon-separated MAC addresses, space-separated (Wi-Fi and wired); empty when none.</summary>
    public required string Macs { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One thing that happened to a device: registered, edited (with what changed), attested, loaned, returned, reported
/// lost, found, handed back, disposed (with the data wipe). Append-only: the device's history is these rows in order.
/// </summary>
public sealed class DeviceHistoryEntry
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid DeviceId { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>A short action key, e.g. <c>registered</c>, <c>edited</c>, <c>attested.encrypted</c>, <c>state.lost</c>.</summary>
    public required string Action { get; set; }
    /// <summary>What changed or was said, in words for the history list (never a secret).</summary>
    public required string Detail { get; set; }
    /// <summary>The portal user (display name and email) or process that did it.</summary>
    public required string Actor { get; set; }
}

/// <summary>
/// A statement about a device's safety, with who made it and when: encrypted (F7, C16), passcode/PIN/biometric on
/// (C17), two-factor on for school accounts (F7), virus-checked (W3). A newer attestation of the same kind supersedes an
/// older one; both stay.
/// </summary>
public sealed class DeviceAttestation
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid DeviceId { get; set; }
    /// <summary>One of the policy's attestation keys: <c>encrypted</c>, <c>passcode</c>, <c>two_factor</c>, <c>virus_checked</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>True when confirmed, false when someone recorded that it is not so.</summary>
    public bool Confirmed { get; set; }
    public DateTimeOffset At { get; set; }
    public required string AttestedBy { get; set; }
    public string? Note { get; set; }
}

public sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> e)
    {
        e.ToTable("devices");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.AssetTag).HasMaxLength(64);
        e.Property(x => x.Serial).HasMaxLength(100);
        e.Property(x => x.Kind).HasConversion(DeviceKinds.Words.Converter).HasMaxLength(24);
        e.Property(x => x.Model).HasMaxLength(200);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Ownership).HasConversion(DeviceOwnerships.Words.Converter).HasMaxLength(16);
        e.Property(x => x.State).HasConversion(DeviceStates.Words.Converter).HasMaxLength(16);
        e.Property(x => x.ClassName).HasMaxLength(100);
        e.Property(x => x.Location).HasMaxLength(200);
        e.Property(x => x.DeviceGroup).HasMaxLength(64);
        e.Property(x => x.Macs).HasMaxLength(200);
        e.Property(x => x.Notes).HasMaxLength(2000);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.AssetTag }).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.State });
        e.HasIndex(x => new { x.SchoolId, x.PersonId });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DeviceHistoryEntryConfiguration : IEntityTypeConfiguration<DeviceHistoryEntry>
{
    public void Configure(EntityTypeBuilder<DeviceHistoryEntry> e)
    {
        e.ToTable("device_history");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Action).HasMaxLength(64);
        e.Property(x => x.Detail).HasMaxLength(2000);
        e.Property(x => x.Actor).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.DeviceId, x.At });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DeviceAttestationConfiguration : IEntityTypeConfiguration<DeviceAttestation>
{
    public void Configure(EntityTypeBuilder<DeviceAttestation> e)
    {
        e.ToTable("device_attestations");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.AttestedBy).HasMaxLength(256);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.HasIndex(x => new { x.SchoolId, x.DeviceId, x.Kind, x.At });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}
