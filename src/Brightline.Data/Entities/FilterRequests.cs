using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Brightline.Data.Entities;

/// <summary>What a <see cref="FilterRequest"/> asks for.</summary>
public enum FilterRequestKind
{
    /// <summary>"This site is needed for learning": asks for a local allow.</summary>
    Unblock,

    /// <summary>"This site should have been blocked" (O20): asks for a local deny.</summary>
    Miss,
}

/// <summary>The stored word of each <see cref="FilterRequestKind"/> (the block page's forms post the same words).</summary>
public static class FilterRequestKinds
{
    public static readonly StoredWords<FilterRequestKind> Words = new("filter_requests.Kind",
        (FilterRequestKind.Unblock, "unblock"),
        (FilterRequestKind.Miss, "miss"));

    public static string Key(this FilterRequestKind kind) => Words.Word(kind);
}

/// <summary>Where a <see cref="FilterRequest"/> stands. Stored as its <see cref="FilterRequestStates.Key"/>, never as a number.</summary>
public enum FilterRequestState
{
    Pending,
    Approved,
    Declined,
}

/// <summary>
/// The stored (and shown) key of each <see cref="FilterRequestState"/>: the column keeps the words it always held,
/// so rows written before the enum read back unchanged and no migration was needed. The pattern for the other
/// entities whose state is still a string.
/// </summary>
public static class FilterRequestStates
{
    public static readonly StoredWords<FilterRequestState> Words = new("filter_requests.Status",
        (FilterRequestState.Pending, "pending"),
        (FilterRequestState.Approved, "approved"),
        (FilterRequestState.Declined, "declined"));

    public static string Key(this FilterRequestState state) => Words.Word(state);

    /// <summary>A stored key back to its state; an unknown word is a corrupt row, not a state to guess.</summary>
    public static FilterRequestState Parse(string key) => Words.Parse(key);

    public static ValueConverter<FilterRequestState, string> Converter => Words.Converter;
}

/// <summary>
/// A request from the block page or the portal to change what is filtered: an unblock request or a
/// reported miss. Routed to the computing lead (and the IT provider for misses); approving it adds a
/// <see cref="FilterOverride"/>. Who asked is a person when known, else only the client address.
/// </summary>
public sealed class FilterRequest
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    public required FilterRequestKind Kind { get; set; }
    /// <summary><see cref="FilterRequestStates"/>.</summary>
    public required FilterRequestState Status { get; set; }
    /// <summary>The host name (lower case), e.g. <c>www.example.com</c>.</summary>
    public required string Host { get; set; }
    /// <summary>Why the requester needs it (or why it should be blocked).</summary>
    public required string Reason { get; set; }
    public Guid? PersonId { get; set; }
    public string? ClientAddress { get; set; }
    /// <summary>The profile that decided for the requester when they asked.</summary>
    public string? Profile { get; set; }
    /// <summary>The category that blocked (unblock) or the category suggested (miss).</summary>
    public string? Category { get; set; }
    /// <summary>The policy rule that blocked, if any.</summary>
    public string? RuleId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>User name of whoever approved or declined.</summary>
    public string? DecidedBy { get; set; }
    /// <summary>Approval note or the (required) reason for declining.</summary>
    public string? DecisionNote { get; set; }
    /// <summary>The profile the approved change was added to.</summary>
    public string? TargetProfile { get; set; }
    public DateTimeOffset? Expires { get; set; }
    public long? OverrideId { get; set; }
}

/// <summary>What <see cref="FilterOverride.Action"/> may hold.</summary>
/// <summary>What a <see cref="FilterOverride"/> does to its entry.</summary>
public enum FilterOverrideAction
{
    Allow,
    Deny,
}

/// <summary>The stored (and shown) word of each <see cref="FilterOverrideAction"/>.</summary>
public static class FilterOverrideActions
{
    public static readonly StoredWords<FilterOverrideAction> Words = new("filter_overrides.Action",
        (FilterOverrideAction.Allow, "allow"),
        (FilterOverrideAction.Deny, "deny"));

    public static string Key(this FilterOverrideAction action) => Words.Word(action);
}

/// <summary>
/// A school-local allow or deny entry added in the portal (not in the policy file), applied on top of the
/// policy's lists for one profile until it expires or is withdrawn.
/// </summary>
public sealed class FilterOverride
{
    public long Id { get; set; }
    public required string SchoolId { get; set; }
    /// <summary>The profile (group ID) it applies to.</summary>
    public required string Profile { get; set; }
    /// <summary>Entry as in the policy: <c>example.com</c>, <c>=host.example.com</c> or <c>example.com/path</c>.</summary>
    public required string Entry { get; set; }
    public required FilterOverrideAction Action { get; set; }
    public string? Category { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? Expires { get; set; }
    public long? RequestId { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnBy { get; set; }
    /// <summary>
    /// When set, the entry applies only to pupils of this class within <see cref="Profile"/> (a teacher's
    /// temporary unblock for their class, V0008); null means the whole profile.
    /// </summary>
    public string? ClassName { get; set; }
}

public sealed class FilterRequestConfiguration : IEntityTypeConfiguration<FilterRequest>
{
    public void Configure(EntityTypeBuilder<FilterRequest> e)
    {
        e.ToTable("filter_requests");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion(FilterRequestKinds.Words.Converter).HasMaxLength(16);
        e.Property(x => x.Status).HasConversion(FilterRequestStates.Converter).HasMaxLength(16);
        e.Property(x => x.Host).HasMaxLength(253);
        e.Property(x => x.Reason).HasMaxLength(1000);
        e.Property(x => x.ClientAddress).HasMaxLength(45);
        e.Property(x => x.Profile).HasMaxLength(64);
        e.Property(x => x.Category).HasMaxLength(32);
        e.Property(x => x.RuleId).HasMaxLength(100);
        e.Property(x => x.DecidedBy).HasMaxLength(256);
        e.Property(x => x.DecisionNote).HasMaxLength(1000);
        e.Property(x => x.TargetProfile).HasMaxLength(64);
        e.HasIndex(x => new { x.SchoolId, x.Status, x.CreatedAt });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class FilterOverrideConfiguration : IEntityTypeConfiguration<FilterOverride>
{
    public void Configure(EntityTypeBuilder<FilterOverride> e)
    {
        e.ToTable("filter_overrides");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Profile).HasMaxLength(64);
        e.Property(x => x.Entry).HasMaxLength(1024);
        e.Property(x => x.Action).HasConversion(FilterOverrideActions.Words.Converter).HasMaxLength(8);
        e.Property(x => x.Category).HasMaxLength(32);
        e.Property(x => x.Reason).HasMaxLength(1000);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
        e.Property(x => x.WithdrawnBy).HasMaxLength(256);
        e.Property(x => x.ClassName).HasMaxLength(64);
        e.HasIndex(x => new { x.SchoolId, x.Profile });
        e.HasOne<School>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}
