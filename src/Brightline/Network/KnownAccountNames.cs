using System.Collections.Concurrent;

namespace Brightline.Network;

/// <summary>
/// User names recently found to be accounts of a person at a school, so FreeRADIUS's authorize call (which only decides
/// whether to go on to authenticate) needs no query for a device re-joining. Safe because nothing is granted here:
/// authenticate reads the account afresh and refuses one that has gone. Only found names are kept, for a minute, at
/// most <see cref="Capacity"/> (then dropped whole); an unknown name is always looked up.
/// </summary>
public sealed class KnownAccountNames(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public const int Capacity = 200_000;

    private readonly ConcurrentDictionary<(string School, string Name), DateTimeOffset> _names = new();

    public bool Contains(string schoolId, string userName) =>
        _names.TryGetValue((schoolId, userName), out var expires) && expires > time.GetUtcNow();

    public void Add(string schoolId, string userName)
    {
        if (_names.Count >= Capacity)
        {
            _names.Clear();
        }

        _names[(schoolId, userName)] = time.GetUtcNow() + Lifetime;
    }
}
