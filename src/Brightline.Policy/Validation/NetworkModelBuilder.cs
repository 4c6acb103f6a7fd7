using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>network:</c> section → <see cref="NetworkPolicy"/>. Runs only on a checked tree.</summary>
internal static class NetworkModelBuilder
{
    public static NetworkPolicy Build(YNode? node)
    {
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return new NetworkPolicy();
        }

        return new NetworkPolicy
        {
            Unsigned = ModelBuilder.Enum(node.Get("unsigned"), UnsignedNetworkAction.Reject),
            MaxSessionHours = Int(node.Get("max_session_hours")) ?? NetworkPolicy.DefaultMaxSessionHours,
            Networks = Items(node.Get("networks")).Select(BuildNetwork).ToList(),
            RadiusClients = Items(node.Get("radius_clients")).Select(c => new RadiusClientPolicy
            {
                Name = Str(c.Get("name")) ?? "",
                Address = Str(c.Get("address")) ?? "",
                SecretSetting = Str(c.Get("secret_setting")) ?? "",
                DisconnectPort = Int(c.Get("disconnect_port")) ?? RadiusClientPolicy.DefaultDisconnectPort,
            }).ToList(),
        };
    }

    private static SchoolNetwork BuildNetwork(YNode n)
    {
        var vlans = new Dictionary<string, int>(StringComparer.Ordinal);
        if (n.Get("vlans") is { Kind: YNodeKind.Mapping } map)
        {
            foreach (var (group, vlan) in map.Pairs)
            {
                if (Int(vlan) is { } v)
                {
                    vlans[group.Value] = v;
                }
            }
        }

        return new SchoolNetwork
        {
            Name = Str(n.Get("name")) ?? "",
            Kind = ModelBuilder.Enum(n.Get("kind"), NetworkKind.People),
            Ssids = Strings(n.Get("ssids")),
            NasIdentifiers = Strings(n.Get("nas_identifiers")),
            Vlans = vlans,
            Vlan = Int(n.Get("vlan")),
            Requirements = Strings(n.Get("requirements")),
        };
    }
}
