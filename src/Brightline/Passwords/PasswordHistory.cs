using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Passwords;

/// <summary>
/// Records each new password of an account (issue 15): the time it was set (for the maximum age) and its hash (for
/// "no reuse of the last N"; F3 "never reused"). Clears a forced change. Keeps as many earlier hashes as the
/// account's rules remember, and at least <see cref="KeepAtLeast"/>, so a school that starts remembering later has
/// some history to check.
/// </summary>
public sealed class PasswordHistory(BrightlineDbContext db, AccountPasswordRules accountRules, TimeProvider time)
{
    public const int KeepAtLeast = 5;

    public async Task RecordAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var state = await db.Set<AccountPassword>().FirstOrDefaultAsync(a => a.UserId == user.Id, cancellationToken);
        if (state is null)
        {
            state = new AccountPassword { UserId = user.Id };
            db.Set<AccountPassword>().Add(state);
        }

        state.ChangedAt = now;
        state.MustChange = null;
        state.MustChangeSince = null;
        if (user.PasswordHash is { } hash)
        {
            db.Set<PasswordHistoryEntry>().Add(new PasswordHistoryEntry { UserId = user.Id, Hash = hash, ChangedAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);

        var rules = AccountPasswordRules.Flatten(await accountRules.ForAccountAsync(user.Id, cancellationToken));
        if (rules.Any(r => r.RememberAll))
        {
            return;
        }

        var keep = Math.Max(KeepAtLeast, rules.Max(r => r.Remember));
        var old = await db.Set<PasswordHistoryEntry>().Where(h => h.UserId == user.Id).OrderByDescending(h => h.Id).Skip(keep).ToListAsync(cancellationToken);
        if (old.Count > 0)
        {
            db.Set<PasswordHistoryEntry>().RemoveRange(old);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>The account must change its password before anything else (the "may be compromised" button).</summary>
    public async Task RequireChangeAsync(string userId, string reason, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var state = await db.Set<AccountPassword>().FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (state is null)
        {
            // An account from before V0032's rows (none should exist): its clock starts now.
            state = new AccountPassword { UserId = userId, ChangedAt = now };
            db.Set<AccountPassword>().Add(state);
        }

        state.MustChange = reason;
        state.MustChangeSince = now;
        await db.SaveChangesAsync(cancellationToken);
    }
}
