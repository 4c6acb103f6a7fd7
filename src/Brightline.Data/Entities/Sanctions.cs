using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

// Sanctions (issue 5, section 2): imposed on a person, enforced by the access gate and the DNS filter.
// A sanction is never deleted: lifting it (or recording the parents' meeting) is a recorded change.

/// <summary>What a sanction takes away.</summary>
public enum SanctionKind
{
    /// <summary>Every name is answered with the portal's notice.</summary>
    WithdrawInternet,

    /// <summary>Named filter categories are blocked for the person on top of their groups' profiles.</summary>
    RestrictCategories,

    /// <summary>Login, network and internet refused (F14).</summary>
    SuspendAccount,

    /// <summary>Internet withdrawn until a meeting with parents is recorded; cannot be lifted before that.</summary>
    ParentMeetingRequired,
}

public sealed class Sanction
{
    public Guid Id { get; set; }
    public required string SchoolId { get; set; }
    public Guid PersonId { get; set; }
    public SanctionKind Kind { get; set; }
    /// <summary>The filter categories restricted (restrict_categories only; empty otherwise). A JSON array in the column since V0015.</summary>
    public IReadOnlyList<string> Categories { get; set; } = [];
    public required string Reason { get; set; }
    /// <summary>The policy's sanction reason (<c>sanctions.reasons</c>, e.g. password_disclosed for O15) it was imposed for; null when staff chose the kind.</summary>
    public string? ReasonKey { get; set; }
    public required string ImposedBy { get; set; }
    public DateTimeOffset ImposedAt { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public DateTimeOffset? MeetingRecordedAt { get; set; }
    public string? MeetingRecordedBy { get; set; }
    public string? MeetingNote { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    public string? LiftedBy { get; set; }
    public string? LiftReason { get; set; }
}

public sealed class SanctionConfiguration : IEntityTypeConfiguration<Sanction>
{
    public void Configure(EntityTypeBuilder<Sanction> e)
    {
        e.ToTable("sanctions");
        e.Property(x => x.SchoolId).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion(SanctionKinds.Words.Converter).HasMaxLength(32);
        // Nullable in the schema only because SQLite cannot add NOT NULL in place; V0015 turned every NULL into [].
        e.Property(x => x.Categories).HasConversion(StoredList<string>.Converter("sanctions.Categories"), StoredList<string>.Comparer).HasMaxLength(2000).IsRequired(false);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.ReasonKey).HasMaxLength(64);
        e.Property(x => x.ImposedBy).HasMaxLength(256);
        e.Property(x => x.MeetingRecordedBy).HasMaxLength(256);
        e.Property(x => x.MeetingNote).HasMaxLength(2000);
        e.Property(x => x.LiftedBy).HasMaxLength(256);
        e.Property(x => x.LiftReason).HasMaxLength(2000);
        e.HasIndex(x => new { x.SchoolId, x.PersonId });
        e.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The policy's snake_case names for <see cref="SanctionKind"/>.</summary>
public static class SanctionKinds
{
    /// <summary>The column's words are the policy's names; a word this build does not know names the column.</summary>
    public static readonly StoredWords<SanctionKind> Words = new("sanctions.Kind",
        (SanctionKind.WithdrawInternet, "withdraw_internet"),
        (SanctionKind.RestrictCategories, "restrict_categories"),
        (SanctionKind.SuspendAccount, "suspend_account"),
        (SanctionKind.ParentMeetingRequired, "parent_meeting_required"));

    public static string NameOf(SanctionKind kind) => Words.Word(kind);

    public static bool TryParse(string? name, out SanctionKind kind) => Words.TryParse(name, out kind);

    public static SanctionKind Parse(string name) =>
        TryParse(name, out var kind) ? kind : throw new FormatException($"Unknown sanction kind '{name}'.");
}
