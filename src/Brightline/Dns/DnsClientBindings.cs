using System.Collections.Concurrent;
using System.Net;

namespace Brightline.Dns.Host;

/// <summary>A device address bound to the person who signed in from it, until a time.</summary>
public sealed record DnsClientBinding(IPAddress Address, string SchoolId, Guid PersonId, DateTimeOffset Until);

/// <summary>
/// Which person is using which address: the portal binds a device's address to a person when they sign
/// in, so the DNS filter applies their own profile (and the access gate's answer for them) instead of
/// the network's. Bindings live in memory on this node and lapse at <c>Until</c>; a later sign-in from
/// the same address replaces the earlier one.
/// </summary>
public sealed class DnsClientBindings(TimeProvider time)
{
    /// <summary>Upper bound on bindings kept, so a flood of sign-ins cannot grow memory without limit.</summary>
    public const int MaxBindings = 200_000;

    private readonly ConcurrentDictionary<IPAddress, DnsClientBinding> _bindings = new();

    public int Count => _bindings.Count;

    /// <summary>
    /// Binds <paramref name="address"/> to the person until <paramref name="until"/>. The portal calls
    /// this after a successful sign-in with the request's remote address and
    /// <c>now + FilterService.SignInBinding(schoolId)</c> (the policy's <c>sign_in_binding_minutes</c>).
    /// </summary>
    public void Bind(IPAddress address, string schoolId, Guid personId, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(schoolId);
        address = Normalise(address);
        if (_bindings.Count >= MaxBindings)
        {
            PurgeExpired();
        }

        if (_bindings.Count < MaxBindings || _bindings.ContainsKey(address))
        {
            _bindings[address] = new DnsClientBinding(address, schoolId, personId, until.ToUniversalTime());
        }
    }

    /// <summary>Removes the binding (sign-out).</summary>
    public bool Unbind(IPAddress address) => _bindings.TryRemove(Normalise(address), out _);

    /// <summary>The live binding for <paramref name="address"/>, if any.</summary>
    public DnsClientBinding? Find(IPAddress address)
    {
        address = Normalise(address);
        if (!_bindings.TryGetValue(address, out var binding))
        {
            return null;
        }

        if (binding.Until > time.GetUtcNow())
        {
            return binding;
        }

        _bindings.TryRemove(KeyValuePair.Create(address, binding));
        return null;
    }

    /// <summary>Drops every lapsed binding.</summary>
    public int PurgeExpired()
    {
        var now = time.GetUtcNow();
        var removed = 0;
        foreach (var (address, binding) in _bindings)
        {
            if (binding.Until <= now && _bindings.TryRemove(KeyValuePair.Create(address, binding)))
            {
                removed++;
            }
        }

        return removed;
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
