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
    /// <summary>Comma-separated category names (restrict_categories only).</summary>
    public string? Categories { get; set; }
    public required string Reason { get; set; }
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
        e.Property(x => x.Kind).HasConversion(k => SanctionKinds.NameOf(k), s => SanctionKinds.Parse(s)).HasMaxLength(32);
        e.Property(x => x.Categories).HasMaxLength(500);
        e.Property(x => x.Reason).HasMaxLength(2000);
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
    public static string NameOf(SanctionKind kind) => kind switch
    {
        SanctionKind.WithdrawInternet => "withdraw_internet",
        SanctionKind.RestrictCategories => "restrict_categories",
        SanctionKind.SuspendAccount => "suspend_account",
        SanctionKind.ParentMeetingRequired => "parent_meeting_required",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown sanction kind."),
    };

    public static bool TryParse(string? name, out SanctionKind kind)
    {
        foreach (var k in Enum.GetValues<SanctionKind>())
        {
            if (string.Equals(NameOf(k), name, StringComparison.Ordinal))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static SanctionKind Parse(string name) =>
        TryParse(name, out var kind) ? kind : throw new FormatException($"Unknown sanction kind '{name}'.");
}
