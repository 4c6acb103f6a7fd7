using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Personal-device and removable-media requests (issue 14, point 2; W3, H3, O19, F5, F7, C17, C20). A request is kept
// for ever with its decision; an approval creates the device's register row, and its expiry withdraws that device.

/// <summary>Where a request is in its life.</summary>
public enum DeviceRequestState
{
    Pending,
    Approved,
    Refused,
    Withdrawn,
    Expired,
}

public static class DeviceRequestStates
{
    public static readonly StoredWords<DeviceRequestState> Words = new("device_requests.State",
        (DeviceRequestState.Pending, "pending"),
        (DeviceRequestState.Approved, "approved"),
        (DeviceRequestState.Refused, "refused"),
        (DeviceRequestState.Withdrawn, "withdrawn"),
        (DeviceRequestState.Expired, "expired"));

    public static string Key(this DeviceRequestState state) => Words.Word(state);
}

/// <summary>
/// A request to bring a personal device or removable medium into school, for a person (the owner), filed by them, a
/// linked parent or a teacher, and decided by a role the policy names. The rule it was checked against is recorded by
/// its requirement ID, so the decision can be traced to the policy that applied then.
/// </summary>
public sealed class DeviceRequest
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>Whose device it is.</summary>
    public Guid PersonId { get; set; }
    /// <summary>The portal account that asked.</summary>
    public required string RequestedByUserId { get; set; }
    /// <summary>The asker's name as shown (their person's name, or the account's display name or email).</summary>
    public required string RequestedByName { get; set; }
    /// <summary>The asker's account email, for the decision email; null when the account has none.</summary>
    public string? RequestedByEmail { get; set; }
    /// <summary>self, parent or teacher (the policy's requester keys).</summary>
    public required string RequestedAs { get; set; }
    /// <summary>personal_device or removable_media (the policy's request kind keys).</summary>
    public required string Kind { get; set; }
    public required DeviceKind DeviceKind { get; set; }
    /// <summary>What the device is, in the asker's words, e.g. "Black iPhone in a blue case" or "16 GB USB pen".</summary>
    public required string Description { get; set; }
    public string? MakeModel { get; set; }
    public string? Serial { get; set; }
    /// <summary>Lower-case colon-separated MAC addresses, space-separated; empty when none.</summary>
    public required string Macs { get; set; }
    public required string Reason { get; set; }
    /// <summary>The attestation keys the asker confirmed, space-separated (encrypted passcode two_factor virus_checked).</summary>
    public required string Attestations { get; set; }
    /// <summary>Who gave the attestations (the asker's name): a parent attests for a child's device.</summary>
    public string? AttestedBy { get; set; }
    /// <summary>The requirement ID of the policy rule checked (e.g. "H3"), when the rule names one.</summary>
    public string? Requirement { get; set; }
    public required DeviceRequestState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    /// <summary>When an approval ends (set on approval from the rule's duration).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>The register row created on approval.</summary>
    public Guid? DeviceId { get; set; }
    /// <summary>The approved request this one renews; its device carries on under this request when approved.</summary>
    public Guid? RenewsRequestId { get; set; }
    /// <summary>When the owner was reminded to renew (once per approval).</summary>
    public DateTimeOffset? RenewalRemindedAt { get; set; }
    /// <summary>
    /// When the asker ticked "I agree" to the rule's agreement (O19); null when the rule had none. Set with
    /// <see cref="AgreementAcceptedBy"/> and <see cref="AgreementText"/>.
    /// </summary>
    public DateTimeOffset? AgreementAcceptedAt { get; set; }
    /// <summary>Who agreed (the asker's name as shown): a parent agrees for a child's device.</summary>
    public string? AgreementAcceptedBy { get; set; }
    /// <summary>
    /// The agreement's words exactly as shown and agreed to. The words, not a hash: the policy may be reworded later, and
    /// a hash proves nothing without the old text to hand, whereas the words let the request show (and the export list)
    /// what this person agreed to for as long as the request is kept.
    /// </summary>
    public string? AgreementText { get; set; }
}

public sealed class DeviceRequestConfiguration : IEntityTypeConfiguration<DeviceRequest>
{
    public void Configure(EntityTypeBuilder<DeviceRequest> e)
    {
        e.ToTable("device_requests");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.RequestedByUserId).HasMaxLength(450);
        e.Property(x => x.RequestedByName).HasMaxLength(256);
        e.Property(x => x.RequestedByEmail).HasMaxLength(256);
        e.Property(x => x.RequestedAs).HasMaxLength(16);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.DeviceKind).HasConversion(DeviceKinds.Words.Converter).HasMaxLength(24);
        e.Property(x => x.Description).HasMaxLength(300);
        e.Property(x => x.MakeModel).HasMaxLength(200);
        e.Property(x => x.Serial).HasMaxLength(100);
        e.Property(x => x.Macs).HasMaxLength(200);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.Attestations).HasMaxLength(200);
        e.Property(x => x.AttestedBy).HasMaxLength(256);
        e.Property(x => x.Requirement).HasMaxLength(32);
        e.Property(x => x.State).HasConversion(DeviceRequestStates.Words.Converter).HasMaxLength(16);
        e.Property(x => x.DecidedBy).HasMaxLength(256);
        e.Property(x => x.DecisionNote).HasMaxLength(2000);
        e.Property(x => x.AgreementAcceptedBy).HasMaxLength(256);
        // AgreementText is unbounded: the policy language sets no length on an agreement, and a cut would change what was agreed.
        e.HasIndex(x => new { x.SchoolId, x.State, x.CreatedAt });
        e.HasIndex(x => new { x.SchoolId, x.PersonId });
        e.HasIndex(x => new { x.State, x.ExpiresAt });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<DeviceRequest>().WithMany().HasForeignKey(x => x.RenewsRequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
