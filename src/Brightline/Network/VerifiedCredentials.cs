using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Brightline.Data.Entities;

namespace Brightline.Network;

/// <summary>
/// The network's fast path for passwords: after ASP.NET Identity's full check (PBKDF2, 100,000 rounds of
/// HMAC-SHA512 — tens of milliseconds of CPU, the whole budget of a thousand sign-ins a second) has accepted a user
/// name and password, a keyed fingerprint of them is kept in memory for <see cref="Lifetime"/>, so the same device
/// re-joining (a controller restart, a session ending, roaming between access points) is answered without the hash.
/// </summary>
/// <remarks>
/// Why it is safe — it can only say "this exact password was accepted for this exact stored account state":
/// <list type="bullet">
/// <item>The fingerprint is HMAC-SHA256 under a random key made when the process starts and never stored, of the
/// user's ID, the password, and the account row <b>as read from the database for this request</b>: the stored
/// password hash, the security stamp and the confirmation flags. A password change or reset writes a new hash (new
/// salt) and a new stamp; "sign out everywhere", a two-factor change or an administrator's reset change the stamp —
/// so the fingerprint no longer matches, in this process or any other (nothing needs to tell this cache).</item>
/// <item>Only a full check that succeeded is remembered. A different password never matches a fingerprint, so it
/// always goes through Identity's full check, which counts it towards the lockout exactly as before.</item>
/// <item>The fast path is refused while the fresh row shows a lockout in force or any counted failure: the full
/// check then runs, refusing a locked-out account and resetting the failure count on success as Identity does.</item>
/// <item>Bounded: entries expire after <see cref="Lifetime"/>, and at <see cref="Capacity"/> the whole cache is
/// dropped (the next sign-ins are only slower). Nothing is written anywhere.</item>
/// </list>
/// What it costs: while an entry lives, the process holds a fast-to-test fingerprint of the password; someone who
/// could read this process's memory (and so the key) could test guesses at HMAC speed rather than PBKDF2 speed. Such a
/// reader already sees every password as it arrives in each request, so this does not widen what memory disclosure
/// gives away; the lifetime keeps it to passwords used recently.
/// </remarks>
public sealed class VerifiedCredentials(TimeProvider time)
{
    /// <summary>A school day and an evening: devices re-joining after a session ends or a controller restarts stay warm.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>A large trust's accounts; about 100 bytes each.</summary>
    public const int Capacity = 200_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _hits;

    /// <summary>How many sign-ins the fast path has answered since the process started (tests read it to see the path taken).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>
    /// True when <paramref name="password"/> was accepted by the full check for <paramref name="user"/> as it is stored
    /// now (the row just read), within the lifetime, and the row shows no lockout and no counted failure.
    /// </summary>
    public bool IsVerified(ApplicationUser user, string password)
    {
        if (user.AccessFailedCount != 0 || (user.LockoutEnabled && user.LockoutEnd is { } end && end > time.GetUtcNow()))
        {
            return false;
        }

        if (!_entries.TryGetValue(user.Id, out var entry))
        {
            return false;
        }

        if (entry.Expires <= time.GetUtcNow())
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(user.Id, entry));
            return false;
        }

        Span<byte> tag = stackalloc byte[32];
        Fingerprint(user, password, tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, entry.Tag))
        {
            return false;
        }

        Interlocked.Increment(ref _hits);
        return true;
    }

    /// <summary>After Identity's full check succeeded: remember it, bound to the account row as it is now (after any re-hash).</summary>
    public void Remember(ApplicationUser user, string password)
    {
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        var tag = new byte[32];
        Fingerprint(user, password, tag);
        _entries[user.Id] = new Entry(tag, time.GetUtcNow() + Lifetime);
    }

    /// <summary>
    /// The salted PBKDF2 hash FreeRADIUS keeps for <c>when_unreachable: cached</c> (<see cref="RadiusUnreachableCache"/>),
    /// made once per verified password and handed out again with every Accept while the entry lives: ten thousand
    /// rounds on every staff sign-in cost more CPU than the rest of the answer (docs/benchmarks.md, RADIUS). Call only
    /// after <see cref="IsVerified"/> or <see cref="Remember"/> for the same user and password; without a live entry the
    /// hash is made afresh and not kept.
    /// </summary>
    public string OfflineHash(ApplicationUser user, string password)
    {
        if (!_entries.TryGetValue(user.Id, out var entry))
        {
            return RadiusUnreachableCache.NewHash(password);
        }

        // Two sign-ins racing may both make a hash; either is right, and the last one written is kept.
        return entry.OfflineHash ??= RadiusUnreachableCache.NewHash(password);
    }

    /// <summary>Forgets the user's verified password (a wrong one was tried: the next right one takes the full check).</summary>
    public void Forget(ApplicationUser user) => _entries.TryRemove(user.Id, out _);

    private void Fingerprint(ApplicationUser user, string password, Span<byte> tag)
    {
        // Length-prefixed fields, so no two different (field, field, …) lists give the same bytes.
        var fields = new[]
        {
            user.Id, password, user.PasswordHash ?? "", user.SecurityStamp ?? "",
            user.EmailConfirmed ? "e1" : "e0", user.PhoneNumberConfirmed ? "p1" : "p0",
        };
        var buffer = new List<byte>(256);
        foreach (var field in fields)
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            buffer.AddRange(BitConverter.GetBytes(bytes.Length));
            buffer.AddRange(bytes);
        }

        var data = buffer.ToArray();
        HMACSHA256.HashData(_key, data, tag);
        CryptographicOperations.ZeroMemory(data);
    }

    private sealed class Entry(byte[] tag, DateTimeOffset expires)
    {
        public byte[] Tag { get; } = tag;
        public DateTimeOffset Expires { get; } = expires;

        /// <summary>The FreeRADIUS cache hash for this verified password (<see cref="OfflineHash"/>), made on first use.</summary>
        public string? OfflineHash { get; set; }
    }
}
