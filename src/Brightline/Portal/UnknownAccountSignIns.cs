using Brightline.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Brightline.Portal;

/// <summary>
/// Makes a sign-in with an email address that has no account look like one with a wrong password: the same
/// message, the same lockout after the same number of tries, and about the same time taken (a password hash
/// is checked against a stand-in hash made by the same hasher). Otherwise the lockout message, which only
/// real accounts reached, and a 4 ms against 100 ms answer told anyone which addresses have accounts (issue
/// 10, item 9). The counts live in this process's memory: they protect no data, only hide which addresses
/// exist, and with several nodes each keeps its own (a guesser then sees a lockout later, never sooner).
/// </summary>
public sealed class UnknownAccountSignIns(IMemoryCache cache, IPasswordHasher<ApplicationUser> hasher, IOptions<IdentityOptions> identity, TimeProvider time)
{
    private readonly Lazy<string> _standInHash = new(() => hasher.HashPassword(new ApplicationUser(), Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    /// <summary>Records a failed try for <paramref name="email"/>; true when it is now (or already was) "locked out".</summary>
    public bool Fail(string email, string password)
    {
        var key = "unknown-sign-in:" + email.Trim().ToUpperInvariant();
        var lockout = identity.Value.Lockout;
        var now = time.GetUtcNow();
        var state = cache.GetOrCreate(key, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = lockout.DefaultLockoutTimeSpan;
            return new Attempts();
        })!;
        lock (state)
        {
            if (state.LockedUntil > now)
            {
                // Identity answers a locked account without checking the password; so does this.
                return true;
            }

            _ = hasher.VerifyHashedPassword(new ApplicationUser(), _standInHash.Value, password);
            state.Failures++;
            if (state.Failures >= lockout.MaxFailedAccessAttempts)
            {
                state.Failures = 0;
                state.LockedUntil = now + lockout.DefaultLockoutTimeSpan;
                cache.Set(key, state, lockout.DefaultLockoutTimeSpan);
                return true;
            }

            return false;
        }
    }

    private sealed class Attempts
    {
        public int Failures { get; set; }

        public DateTimeOffset LockedUntil { get; set; }
    }
}
