using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Lost property (issue 14; H15) and leavers' equipment (C19). The device itself is a devices row whose state the
// register keeps; these tables hold what only these processes know: where a device was found and who signed for it,
// how long it is held, how it left (handed back or disposed of, with the data wipe), and each leaver's checklist.

/// <summary>How a found device left lost property.</summary>
public enum FoundDeviceOutcome
{
    /// <summary>Claimed: the owner typed their name, a member of staff witnessed with their password.</summary>
    Returned,
    /// <summary>The hold ended unclaimed and it was disposed of, with the data wipe recorded.</summary>
    Disposed,
}

public static class FoundDeviceOutcomes
{
    public static readonly StoredWords<FoundDeviceOutcome> Words = new("found_devices.Outcome",
        (FoundDeviceOutcome.Returned, "returned"),
        (FoundDeviceOutcome.Disposed, "disposed"));

    public static string Key(this FoundDeviceOutcome outcome) => Words.Word(outcome);
}

/// <summary>
/// A device found on site with no known owner (H15): one row per found device, keyed by the device's ID. Written when
/// it is logged and filled in as it moves: handed to the custodian (signed), listed for disposal (the reminder sent
/// once), then returned to its owner or disposed of. Never deleted.
/// </summary>
public sealed class FoundDevice
{
    /// <summary>The <see cref="Device"/>'s ID (one lost-property record per device).</summary>
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public DateTimeOffset FoundAt { get; set; }
    /// <summary>Where it was found, in words ("Year 5 cloakroom").</summary>
    public required string FoundWhere { get; set; }
    /// <summary>Who found it, in words (a pupil's or visitor's name may be typed; it need not be a portal user).</summary>
    public required string FoundBy { get; set; }
    public required string LoggedBy { get; set; }
    public DateTimeOffset LoggedAt { get; set; }
    /// <summary>The custodian (H15: the Head of IT) who signed for it with their password.</summary>
    public string? CustodianName { get; set; }
    public string? CustodianUserId { get; set; }
    public DateTimeOffset? CustodianAt { get; set; }
    /// <summary>The last day it is held; the day after, it is listed for disposal.</summary>
    public DateOnly? HoldUntil { get; set; }
    /// <summary>How <see cref="HoldUntil"/> was worked out, in words ("end of Autumn 2026 (1 term)").</summary>
    public string? HoldRule { get; set; }
    /// <summary>When the policy's remind roles were told it is due for disposal (once).</summary>
    public DateTimeOffset? DueNotifiedAt { get; set; }
    public FoundDeviceOutcome? Outcome { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    /// <summary>Returned: the owner's name as they typed it.</summary>
    public string? ReturnedTo { get; set; }
    /// <summary>Returned: the member of staff who witnessed the owner's typed name with their password.</summary>
    public string? WitnessedBy { get; set; }
    /// <summary>Disposed: how the data was wiped ("factory reset and storage erased").</summary>
    public string? WipeMethod { get; set; }
    /// <summary>Disposed: who wiped it.</summary>
    public string? WipedBy { get; set; }
    /// <summary>Disposed: how it was disposed of ("WEEE recycling, collection 12").</summary>
    public string? DisposalNote { get; set; }
}

/// <summary>Why a leaver's checklist was opened (C19).</summary>
public enum LeaverReason
{
    Leaving,
    LongAbsence,
}

public static class LeaverReasons
{
    public static readonly StoredWords<LeaverReason> Words = new("leaver_checklists.Reason",
        (LeaverReason.Leaving, "leaving"),
        (LeaverReason.LongAbsence, "long_absence"));

    public static string Key(this LeaverReason reason) => Words.Word(reason);
}

/// <summary>What one checklist line is about.</summary>
public enum LeaverItemKind
{
    /// <summary>A school-owned device assigned to the person.</summary>
    SchoolDevice,
    /// <summary>An open loan from the loan book.</summary>
    Loan,
    /// <summary>An approved personal device or removable medium: the school's data must come off it.</summary>
    PersonalDevice,
}

public static class LeaverItemKinds
{
    public static readonly StoredWords<LeaverItemKind> Words = new("leaver_checklist_items.Kind",
        (LeaverItemKind.SchoolDevice, "school_device"),
        (LeaverItemKind.Loan, "loan"),
        (LeaverItemKind.PersonalDevice, "personal_device"));

    public static string Key(this LeaverItemKind kind) => Words.Word(kind);
}

/// <summary>How a checklist line was closed.</summary>
public enum LeaverItemOutcome
{
    /// <summary>The device came back (or the loan was returned).</summary>
    Returned,
    /// <summary>School data removed from a personal device, and its approval withdrawn.</summary>
    DataRemoved,
    /// <summary>It will not come back; the reason is recorded.</summary>
    WrittenOff,
}

public static class LeaverItemOutcomes
{
    public static readonly StoredWords<LeaverItemOutcome> Words = new("leaver_checklist_items.Outcome",
        (LeaverItemOutcome.Returned, "returned"),
        (LeaverItemOutcome.DataRemoved, "data_removed"),
        (LeaverItemOutcome.WrittenOff, "written_off"));

    public static string Key(this LeaverItemOutcome outcome) => Words.Word(outcome);
}

/// <summary>
/// C19: the equipment a leaver, or someone starting a long absence, must give back. Opened once per leaving (or
/// absence), with a line per device or loan found at that moment; closed when every line is.
/// </summary>
public sealed class LeaverChecklist
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid PersonId { get; set; }
    public LeaverReason Reason { get; set; }
    /// <summary>The leaving date, or the first day of the absence.</summary>
    public DateOnly StartsOn { get; set; }
    /// <summary>The expected last day of a long absence; null for leavers.</summary>
    public DateOnly? EndsOn { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    /// <summary>When the policy's leavers roles were told (once).</summary>
    public DateTimeOffset? NotifiedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>One thing on a <see cref="LeaverChecklist"/>: a device or a loan, and how it was closed.</summary>
public sealed class LeaverChecklistItem
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid ChecklistId { get; set; }
    public LeaverItemKind Kind { get; set; }
    public Guid DeviceId { get; set; }
    public long? LoanId { get; set; }
    /// <summary>The device's name and tag as they were when the checklist opened.</summary>
    public required string Description { get; set; }
    public LeaverItemOutcome? Outcome { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
}

public sealed class FoundDeviceConfiguration : IEntityTypeConfiguration<FoundDevice>
{
    public void Configure(EntityTypeBuilder<FoundDevice> e)
    {
        e.ToTable("found_devices");
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.FoundWhere).HasMaxLength(300);
        e.Property(x => x.FoundBy).HasMaxLength(256);
        e.Property(x => x.LoggedBy).HasMaxLength(256);
        e.Property(x => x.CustodianName).HasMaxLength(256);
        e.Property(x => x.CustodianUserId).HasMaxLength(450);
        e.Property(x => x.HoldRule).HasMaxLength(200);
        e.Property(x => x.Outcome).HasConversion(FoundDeviceOutcomes.Words.Converter).HasMaxLength(16);
        e.Property(x => x.ClosedBy).HasMaxLength(256);
        e.Property(x => x.ReturnedTo).HasMaxLength(256);
        e.Property(x => x.WitnessedBy).HasMaxLength(256);
        e.Property(x => x.WipeMethod).HasMaxLength(500);
        e.Property(x => x.WipedBy).HasMaxLength(256);
        e.Property(x => x.DisposalNote).HasMaxLength(1000);
        e.HasIndex(x => new { x.SchoolId, x.Outcome, x.HoldUntil });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithOne().HasForeignKey<FoundDevice>(x => x.Id).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class LeaverChecklistConfiguration : IEntityTypeConfiguration<LeaverChecklist>
{
    public void Configure(EntityTypeBuilder<LeaverChecklist> e)
    {
        e.ToTable("leaver_checklists");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Reason).HasConversion(LeaverReasons.Words.Converter).HasMaxLength(16);
        e.Property(x => x.OpenedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.PersonId, x.Reason, x.StartsOn }).IsUnique();
        e.HasIndex(x => new { x.SchoolId, x.ClosedAt });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class LeaverChecklistItemConfiguration : IEntityTypeConfiguration<LeaverChecklistItem>
{
    public void Configure(EntityTypeBuilder<LeaverChecklistItem> e)
    {
        e.ToTable("leaver_checklist_items");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion(LeaverItemKinds.Words.Converter).HasMaxLength(24);
        e.Property(x => x.Description).HasMaxLength(300);
        e.Property(x => x.Outcome).HasConversion(LeaverItemOutcomes.Words.Converter).HasMaxLength(16);
        e.Property(x => x.Note).HasMaxLength(1000);
        e.Property(x => x.ClosedBy).HasMaxLength(256);
        e.HasIndex(x => new { x.SchoolId, x.ChecklistId });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<LeaverChecklist>().WithMany().HasForeignKey(x => x.ChecklistId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<DeviceLoan>().WithMany().HasForeignKey(x => x.LoanId).OnDelete(DeleteBehavior.Restrict);
    }
}
