using System.Net;

namespace Brightline.ClientBindings;

/// <summary>A device address bound to the person who signed in from it, until a time.</summary>
public sealed record DnsClientBinding(IPAddress Address, string SchoolId, Guid PersonId, DateTimeOffset Until)
{
    /// <summary>When the sign-in happened; the later of two bindings for one address wins.</summary>
    public DateTimeOffset BoundAt { get; init; }

    /// <summary>True when this copy came from the database (another process's sign-in), false when bound here.</summary>
    public bool FromStore { get; init; }

    /// <summary>The policy's network the device is on, when RADIUS accounting bound it (its location rules apply); null for a portal sign-in.</summary>
    public string? Network { get; init; }
}
