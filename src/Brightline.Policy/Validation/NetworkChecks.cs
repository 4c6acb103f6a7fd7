using System.Net;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>network:</c> section that the schema cannot express: names unique, each SSID and NAS
/// identifier in one network only, VLANs keyed by groups that exist, the VLAN keys that fit each kind of network, a
/// quarantine network when unsigned people are quarantined, and RADIUS client addresses that parse.
/// </summary>
internal sealed class NetworkChecks(List<YamlProblem> problems, IReadOnlyCollection<string> groups)
{
    public void Run(YNode? network)
    {
        if (network is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var names = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var ssids = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var nasIds = new Dictionary<string, YNode>(StringComparer.OrdinalIgnoreCase);
        var quarantines = new List<YNode>();
        foreach (var n in Items(network.Get("networks")))
        {
            if (n.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var name = Str(n.Get("name")) ?? "?";
            if (n.Get("name") is { } nameNode && !names.TryAdd(name, nameNode))
            {
                Add(nameNode, $"duplicate network name '{name}' (first at line {names[name].Line})");
            }

            foreach (var ssid in Items(n.Get("ssids")))
            {
                if (Str(ssid) is { } s && !ssids.TryAdd(s, ssid))
                {
                    Add(ssid, $"network '{name}': the SSID '{s}' is already in another network (line {ssids[s].Line}); an SSID belongs to one network");
                }
            }

            foreach (var nas in Items(n.Get("nas_identifiers")))
            {
                if (Str(nas) is { } s && !nasIds.TryAdd(s, nas))
                {
                    Add(nas, $"network '{name}': the NAS identifier '{s}' is already in another network (line {nasIds[s].Line}); a NAS identifier belongs to one network");
                }
            }

            CheckKind(n, name, quarantines);
        }

        var unsigned = network.Get("unsigned");
        if (Str(unsigned) == "quarantine" && quarantines.Count == 0)
        {
            Add(unsigned!, "network 'unsigned: quarantine' needs a network of kind quarantine (with its vlan) for unsigned people to land on; add one or write 'unsigned: reject'");
        }

        foreach (var extra in quarantines.Skip(1))
        {
            Add(extra, $"a second network of kind quarantine (the first is at line {quarantines[0].Line}); unsigned people land on one quarantine network");
        }

        CheckClients(network.Get("radius_clients"));
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    private void CheckKind(YNode n, string name, List<YNode> quarantines)
    {
        var kindNode = n.Get("kind");
        var kind = Str(kindNode);
        if (kind is not ("people" or "school_devices" or "guest" or "quarantine"))
        {
            return; // the schema has reported the kind; what fits an unknown kind cannot be said
        }

        var vlans = n.Get("vlans");
        var vlan = n.Get("vlan");
        if (kind == "people")
        {
            if (vlan is not null)
            {
                Add(vlan, $"network '{name}' is for people: give a VLAN per group under 'vlans' (e.g. vlans: {{ staff: 10 }}), not one 'vlan'");
            }
            else if (vlans is not { Kind: YNodeKind.Mapping } || vlans.Pairs.Count == 0)
            {
                Add(kindNode!, $"network '{name}' is for people but has no 'vlans': give the VLAN per group (e.g. vlans: {{ staff: 10 }})");
            }
        }
        else
        {
            if (vlans is not null)
            {
                Add(vlans, $"network '{name}' of kind {kind} has one 'vlan' for everyone on it; 'vlans' per group is for people networks");
            }
            else if (vlan is null)
            {
                Add(kindNode!, $"network '{name}' of kind {kind} needs its 'vlan'");
            }
        }

        if (kind == "quarantine")
        {
            quarantines.Add(kindNode!);
        }
        else if (!Items(n.Get("ssids")).Any() && !Items(n.Get("nas_identifiers")).Any())
        {
            Add(kindNode!, $"network '{name}' has neither 'ssids' nor 'nas_identifiers', so no request could come from it; name its SSIDs or NAS identifiers");
        }

        if (vlans is { Kind: YNodeKind.Mapping })
        {
            foreach (var (group, _) in vlans.Pairs)
            {
                if (!groups.Contains(group.Value))
                {
                    Add(group, $"network '{name}' gives a VLAN to group '{group.Value}', which is not defined{Suggest.Hint(group.Value, groups)}");
                }
            }
        }
    }

    private void CheckClients(YNode? clients)
    {
        var names = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var c in Items(clients))
        {
            if (c.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var name = Str(c.Get("name")) ?? "?";
            if (c.Get("name") is { } nameNode && !names.TryAdd(name, nameNode))
            {
                Add(nameNode, $"duplicate RADIUS client name '{name}' (first at line {names[name].Line})");
            }

            if (c.Get("address") is { } addressNode && Str(addressNode) is { } address
                && !IPAddress.TryParse(address, out _) && !FilteringChecks.TryParseCidr(address, out _, out _))
            {
                Add(addressNode, $"RADIUS client '{name}' address '{address}' is not an IP address or a CIDR range (e.g. 10.0.0.2 or 10.0.0.0/24)");
            }

            if (c.Get("disconnect_port") is { } portNode && Int(portNode) is 1812 or 1813 or 1645 or 1646)
            {
                // The NAS's own Disconnect (DAE) port, not FreeRADIUS's: a request sent there would reach a RADIUS server, never the NAS.
                Add(portNode, $"RADIUS client '{name}' disconnect_port {Int(portNode)} is a RADIUS server port; give the port the NAS itself takes Disconnect-Request on (3799 unless its documentation says otherwise)");
            }
        }
    }
}
