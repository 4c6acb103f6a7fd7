using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Approvals (issue 5, section 3): one workflow for every kind of permission the policies ask a head (or
// another named role) to give — exemptions (O3), official-capacity access (O14), guest Wi-Fi (O22), a
// teacher's temporary unblock for their class, the computing lead's "unrestricted" override (C11),
// inspection of stored email content (H17) and personal devices holding school data (O19).
// Nothing is ever deleted: every step (request, approval, decline, revocation, expiry) is a new
// ApprovalDecision row, and the request row keeps its final state.

/// <summary>
/// Where an approval stands. Only pending → active/declined/withdrawn and active → revoked/expired.
/// Stored as its word (<see cref="ApprovalStates"/>), never as a number.
/// </summary>
public enum ApprovalState
{
    Pending,
    Active,
    Declined,
    Revoked,
    Expired,
    Withdrawn,
}

/// <summary>The stored word of each <see cref="ApprovalState"/>: the words the column held before the enum, so old rows read back unchanged.</summary>
public static class ApprovalStates
{
    public static readonly StoredWords<ApprovalState> Words = new("approval_requests.Status",
        (ApprovalState.Pending, "pending"),
        (ApprovalState.Active, "active"),
        (ApprovalState.Declined, "declined"),
        (ApprovalState.Revoked, "revoked"),
        (ApprovalState.Expired, "expired"),
        (ApprovalState.Withdrawn, "withdrawn"));

    public static IReadOnlyList<ApprovalState> All => Words.All;

    public static string Key(this ApprovalState state) => Words.Word(state);
}

/// <summary>What one step in an approval's history did.</summary>
public enum ApprovalStep
{
    Requested,
    Approved,
    /// <summary>Took effect without an approver (a self-authorised kind).</summary>
    Applied,
    Declined,
    Revoked,
    Expired,
    Withdrawn,
}

public static class ApprovalSteps
{
    public static readonly StoredWords<ApprovalStep> Words = new("approval_decisions.Action",
        (ApprovalStep.Requested, "requested"),
        (ApprovalStep.Approved, "approved"),
        (ApprovalStep.Applied, "applied"),
        (ApprovalStep.Declined, "declined"),
        (ApprovalStep.Revoked, "revoked"),
        (ApprovalStep.Expired, "expired"),
        (ApprovalStep.Withdrawn, "withdrawn"));

    public static string Key(this ApprovalStep step) => Words.Word(step);
}

/// <summary>
/// One request under a policy-defined approval type, with what was asked, the written agreement the
/// requester signed, the decision and what the approval did (the filter override, the content
/// permission, the incidents it recorded).
/// </summary>
public sealed class ApprovalRequest
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The policy's type ID (the key under <c>approvals.types</c>).</summary>
    public required string TypeId { get; set; }
    /// <summary>What the type does: exemption, official_capacity, guest_wifi, class_unblock, unrestricted, email_inspection, personal_device.</summary>
    public required string Kind { get; set; }
    public required ApprovalState Status { get; set; }
    /// <summary>Portal user name of whoever asked.</summary>
    public required string RequestedBy { get; set; }
    public Guid? RequestedByPersonId { get; set; }
    /// <summary>Whom the approval is for (the parent, the exempted member of staff, the person whose email may be read).</summary>
    public Guid? SubjectPersonId { get; set; }
    public required string Reason { get; set; }
    /// <summary>The rule an exemption is from.</summary>
    public string? RuleId { get; set; }
    /// <summary>The filtering category an exemption relaxes (O3, W4), when it names a category rather than a rule.</summary>
    public string? Category { get; set; }
    /// <summary>The site of a class unblock.</summary>
    public string? Host { get; set; }
    /// <summary>The class a class unblock is for.</summary>
    public string? ClassName { get; set; }
    /// <summary>Free text the type asks for: the visitor's name, the device and how it is encrypted.</summary>
    public string? Detail { get; set; }
    /// <summary>access_change (O5): the portal role asked for, granted when approved; null when the request is for other access.</summary>
    public string? Role { get; set; }
    /// <summary>How many Wi-Fi vouchers to issue (guest_wifi).</summary>
    public int VoucherCount { get; set; }
    /// <summary>How long the approval lasts once in force, as asked (never more than the type allows).</summary>
    public int DurationMinutes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>SHA-256 (hex) of the written agreement text the requester signed, so a later change of wording shows.</summary>
    public string? AgreementSha256 { get; set; }
    public string? AgreementSignedName { get; set; }
    public DateTimeOffset? AgreementSignedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? DecisionNote { get; set; }
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    /// <summary>When it stopped before or at its end: revoked, expired (recorded by the sweep) or withdrawn.</summary>
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedBy { get; set; }
    public string? EndReason { get; set; }
    /// <summary>Portal filter overrides created for a class unblock (a JSON array in the column since V0015; comma-separated before).</summary>
    public IReadOnlyList<long> FilterOverrideIds { get; set; } = [];
    /// <summary>The H17 content permission created on approval.</summary>
    public long? ContentPermissionId { get; set; }
    /// <summary>Incidents recorded automatically (C11: safeguarding log and violations register); a JSON array since V0015.</summary>
    public IReadOnlyList<Guid> IncidentIds { get; set; } = [];
}

/// <summary>One step in an approval's history; append-only.</summary>
public sealed class ApprovalDecision
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid ApprovalId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required ApprovalStep Action { get; set; }
    public string? Note { get; set; }
}

/// <summary>A guest Wi-Fi code issued by an approved guest_wifi request (O22), checked by the Wi-Fi controller through the API.</summary>
public sealed class WifiVoucher
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid ApprovalId { get; set; }
    public required string Code { get; set; }
    /// <summary>The group whose filter profile the guest gets.</summary>
    public required string Group { get; set; }
    public DateTimeOffset ValidFrom { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class ApprovalRequestConfiguration : IEntityTypeConfiguration<ApprovalRequest>
{
    public void Configure(EntityTypeBuilder<ApprovalRequest> e)
    {
        e.ToTable("approval_requests");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.TypeId).HasMaxLength(64);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Status).HasConversion(ApprovalStates.Words.Converter).HasMaxLength(16);
        e.Property(x => x.RequestedBy).HasMaxLength(256);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.RuleId).HasMaxLength(100);
        e.Property(x => x.Category).HasMaxLength(64);
        e.Property(x => x.Host).HasMaxLength(253);
        e.Property(x => x.ClassName).HasMaxLength(64);
        e.Property(x => x.Detail).HasMaxLength(1000);
        e.Property(x => x.Role).HasMaxLength(64);
        e.Property(x => x.AgreementSha256).HasMaxLength(64);
        e.Property(x => x.AgreementSignedName).HasMaxLength(200);
        e.Property(x => x.DecidedBy).HasMaxLength(256);
        e.Property(x => x.DecisionNote).HasMaxLength(2000);
        e.Property(x => x.EndedBy).HasMaxLength(256);
        e.Property(x => x.EndReason).HasMaxLength(2000);
        // Nullable in the schema only because SQLite cannot add NOT NULL in place; V0015 turned every NULL into [].
        e.Property(x => x.FilterOverrideIds).HasConversion(StoredList<long>.Converter("approval_requests.FilterOverrideIds"), StoredList<long>.Comparer)
            .HasMaxLength(500).IsRequired(false);
        e.Property(x => x.IncidentIds).HasConversion(StoredList<Guid>.Converter("approval_requests.IncidentIds"), StoredList<Guid>.Comparer)
            .HasMaxLength(500).IsRequired(false);
        e.HasIndex(x => new { x.SchoolId, x.Status });
        e.HasIndex(x => new { x.SchoolId, x.SubjectPersonId });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.SubjectPersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ApprovalDecisionConfiguration : IEntityTypeConfiguration<ApprovalDecision>
{
    public void Configure(EntityTypeBuilder<ApprovalDecision> e)
    {
        e.ToTable("approval_decisions");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Actor).HasMaxLength(256);
        e.Property(x => x.Action).HasConversion(ApprovalSteps.Words.Converter).HasMaxLength(16);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.HasOne<ApprovalRequest>().WithMany().HasForeignKey(x => x.ApprovalId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class WifiVoucherConfiguration : IEntityTypeConfiguration<WifiVoucher>
{
    public void Configure(EntityTypeBuilder<WifiVoucher> e)
    {
        e.ToTable("wifi_vouchers");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Code).HasMaxLength(32);
        e.Property(x => x.Group).HasMaxLength(64);
        e.HasIndex(x => x.Code).IsUnique();
        e.HasOne<ApprovalRequest>().WithMany().HasForeignKey(x => x.ApprovalId).OnDelete(DeleteBehavior.Restrict);
    }
}
