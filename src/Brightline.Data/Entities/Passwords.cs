using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Brightline.Data.Entities;

/// <summary>
/// A portal account's password state (issue 15; F3, C16, H13): when the password was last set, for the policy's
/// maximum age, and whether the account must change it before anything else (the "my password may be compromised"
/// button). Accounts that existed before V0032 start their clock at the migration, so nobody is locked out the day
/// the rules ship.
/// </summary>
public sealed class AccountPassword
{
    public required string UserId { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>Why the account must change its password now (<c>compromised</c>), or null.</summary>
    public string? MustChange { get; set; }
    public DateTimeOffset? MustChangeSince { get; set; }
}

/// <summary>
/// One earlier password of an account, as Identity's hash (never the password), so "no reuse of the last N" (F3:
/// "never reused") can be checked with the hasher's own verification. Written on every successful creation, change
/// and reset; the oldest beyond what the account's rules remember are removed.
/// </summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}

public sealed class AccountPasswordConfiguration : IEntityTypeConfiguration<AccountPassword>
{
    public void Configure(EntityTypeBuilder<AccountPassword> e)
    {
        e.ToTable("account_passwords");
        e.HasKey(x => x.UserId);
        e.Property(x => x.UserId).HasMaxLength(450);
        e.Property(x => x.MustChange).HasMaxLength(32);
        e.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PasswordHistoryEntryConfiguration : IEntityTypeConfiguration<PasswordHistoryEntry>
{
    public void Configure(EntityTypeBuilder<PasswordHistoryEntry> e)
    {
        e.ToTable("password_history");
        e.Property(x => x.UserId).HasMaxLength(450);
        e.Property(x => x.Hash).HasMaxLength(512);
        e.HasIndex(x => new { x.UserId, x.ChangedAt });
        e.HasOne<ApplicationUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
