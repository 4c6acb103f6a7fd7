using System.Collections.Concurrent;

namespace Brightline.Network;

/// <summary>
/// The VLAN of each recent Access-Accept, by school, user name and MAC, so the session accounting then reports can
/// show it: most NASes do not repeat the VLAN in accounting. In memory (the RADIUS API and accounting are answered
/// by the same process), bounded: when full it is emptied, which only leaves the VLAN of a few sessions unshown.
/// </summary>
public sealed class RecentAccepts
{
    /// <summary>Enough for a large trust's devices rejoining at once; a few MB at most.</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, string> _vlans = new(StringComparer.Ordinal);
    private long _remembered;

    /// <summary>How many Accepts this process has answered since it started (tests read it to tell Brightline's answers from FreeRADIUS's own repeats).</summary>
    public long Remembered => Interlocked.Read(ref _remembered);

    public void Remember(string schoolId, string userName, string? mac, string vlan)
    {
        Interlocked.Increment(ref _remembered);
        if (_vlans.Count >= Capacity)
        {
            _vlans.Clear();
        }

        _vlans[Key(schoolId, userName, mac)] = vlan;
    }

    public string? Find(string schoolId, string userName, string? mac) =>
        _vlans.TryGetValue(Key(schoolId, userName, mac), out var vlan) ? vlan : null;

    // User names and MACs are compared as the NAS sends them in both requests; case is folded because NASes vary.
    private static string Key(string schoolId, string userName, string? mac) =>
        string.Concat(schoolId, "\n", userName.ToUpperInvariant(), "\n", mac?.ToUpperInvariant() ?? "");
}
