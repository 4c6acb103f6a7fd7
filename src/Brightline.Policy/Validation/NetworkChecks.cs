using System.Net;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>network:</c> section that the schema cannot express: names unique, each SSID and NAS
/// identifier in one network only, VLANs keyed by groups that exist, the VLAN keys that fit each kind of network, a
/// quarantine network when unsigned people are quarantined, RADIUS client addresses that parse, and a school-devices
/// network's VLANs keyed by the policy's device groups (O21, C3).
/// </summary>
internal sealed class NetworkChecks(List<YamlProblem> problems, IReadOnlyDictionary<string, string> groupKinds, IReadOnlyCollection<string> profileGroups)
{
    private IEnumerable<string> GroupIds => groupKinds.Keys;

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
        var deviceGroups = DeviceGroups(network.Get("device_groups"));
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

            CheckKind(n, name, quarantines, deviceGroups);
            CheckWhere(n, name, network.Get("locations"));
        }

        CheckLocations(network.Get("locations"));

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

    private void CheckKind(YNode n, string name, List<YNode> quarantines, IReadOnlyCollection<string> deviceGroups)
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
        else if (kind == "school_devices")
        {
            // O21, C3: the device's group decides; 'vlan' is the VLAN of groups not under 'vlans'.
            if (vlan is null && (vlans is not { Kind: YNodeKind.Mapping } || vlans.Pairs.Count == 0))
            {
                Add(kindNode!, $"network '{name}' is for school devices but has neither 'vlan' nor 'vlans': give its VLAN, or one per device group (e.g. vlans: {{ ipads: 40 }})");
            }

            if (vlans is { Kind: YNodeKind.Mapping })
            {
                foreach (var (group, _) in vlans.Pairs)
                {
                    if (!deviceGroups.Contains(group.Value))
                    {
                        Add(group, $"network '{name}' gives a VLAN to device group '{group.Value}', which is not in network.device_groups{Suggest.Hint(group.Value, deviceGroups)}");
                    }
                }
            }
        }
        else
        {
            if (vlans is not null)
            {
                Add(vlans, $"network '{name}' of kind {kind} has one 'vlan' for everyone on it; 'vlans' per group is for people and school-devices networks");
            }
            else if (vlan is null)
            {
                Add(kindNode!, $"network '{name}' of kind {kind} needs its 'vlan'");
            }
        }

        // Issue 14: an approved personal device joins by MAC authentication, as a registered school device does; a
        // people network signs in accounts (any device), and guest and quarantine networks take no registered device.
        if (n.Get("personal_devices") is { } personalDevices && kind != "school_devices" && Str(personalDevices) == "approved")
        {
            Add(personalDevices, $"network '{name}' of kind {kind} cannot take approved personal devices: they join by MAC authentication, as on a school_devices network; move 'personal_devices: approved' to one, or remove it");
        }

        if (kind == "quarantine")
        {
            quarantines.Add(kindNode!);
        }
        else if (!Items(n.Get("ssids")).Any() && !Items(n.Get("nas_identifiers")).Any())
        {
            Add(kindNode!, $"network '{name}' has neither 'ssids' nor 'nas_identifiers', so no request could come from it; name its SSIDs or NAS identifiers");
        }

        if (kind == "people" && vlans is { Kind: YNodeKind.Mapping })
        {
            foreach (var (group, _) in vlans.Pairs)
            {
                if (!groupKinds.ContainsKey(group.Value))
                {
                    Add(group, $"network '{name}' gives a VLAN to group '{group.Value}', which is not defined{Suggest.Hint(group.Value, GroupIds)}");
                }
            }
        }
    }

    /// <summary>The device groups, each once, and none named like a person group (a VLAN key must mean one thing).</summary>
    private HashSet<string> DeviceGroups(YNode? list)
    {
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var item in Items(list))
        {
            if (Str(item) is not { } group)
            {
                continue;
            }

            if (!seen.TryAdd(group, item))
            {
                Add(item, $"device group '{group}' is listed twice (first at line {seen[group].Line})");
            }
        }

        return [.. seen.Keys];
    }

    /// <summary>A network's location exists, its hours are well formed, and only a network no pupil joins may stay up from the cache.</summary>
    private void CheckWhere(YNode n, string name, YNode? locations)
    {
        if (n.Get("location") is { } locationNode && Str(locationNode) is { } location)
        {
            var known = Items(locations).Select(l => Str(l.Get("name"))).OfType<string>().ToList();
            if (!known.Contains(location, StringComparer.Ordinal))
            {
                Add(locationNode, known.Count == 0
                    ? $"network '{name}' belongs to location '{location}', but network.locations is empty; add the location (name, hours, filtering)"
                    : $"network '{name}' belongs to location '{location}', which is not in network.locations{Suggest.Hint(location, known)}");
            }
        }

        CheckHours(n.Get("hours"), $"network '{name}'");
        var unreachable = n.Get("when_unreachable");
        var cacheMinutes = n.Get("cache_minutes");
        if (Str(unreachable) == "cached")
        {
            if (Str(n.Get("kind")) is { } kind && kind != "people")
            {
                Add(unreachable!, $"network '{name}' of kind {kind} cannot stay up from the cache: only a people network's last live Accept (password and VLAN) is cached");
            }

            // Pupils' networks always fail closed: a pupil let on from a cache could be one just suspended or whose
            // agreement lapsed, with no adult to notice (issue 13); only adults' networks may trade that for staying up.
            if (n.Get("vlans") is { Kind: YNodeKind.Mapping } vlans)
            {
                foreach (var (group, _) in vlans.Pairs)
                {
                    if (groupKinds.TryGetValue(group.Value, out var groupKind) && groupKind == "pupil")
                    {
                        Add(unreachable!, $"network '{name}' cannot be 'when_unreachable: cached': pupil group '{group.Value}' joins it (line {group.Line}), and pupils' networks fail closed; give pupils their own network or write fail_closed");
                    }
                }
            }
        }
        else if (cacheMinutes is not null)
        {
            Add(cacheMinutes, $"network '{name}' has 'cache_minutes' but does not say 'when_unreachable: cached'; cache_minutes is how long that cache lasts");
        }
    }

    private void CheckLocations(YNode? locations)
    {
        var names = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var l in Items(locations))
        {
            if (l.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var name = Str(l.Get("name")) ?? "?";
            if (l.Get("name") is { } nameNode && !names.TryAdd(name, nameNode))
            {
                Add(nameNode, $"duplicate location name '{name}' (first at line {names[name].Line})");
            }

            var owner = $"location '{name}'";
            CheckHours(l.Get("hours"), owner);
            foreach (var rule in Items(l.Get("filtering")))
            {
                CheckGroups(rule.Get("groups"), $"{owner} filtering");
                if (rule.Get("profile") is { } profileNode && Str(profileNode) is { } profile && !profileGroups.Contains(profile, StringComparer.Ordinal))
                {
                    Add(profileNode, groupKinds.ContainsKey(profile)
                        ? $"{owner} filters by the profile of group '{profile}', which has no filtering profile (filtering.profiles); give it one or name a group that has{Suggest.Hint(profile, profileGroups)}"
                        : $"{owner} filters by the profile of group '{profile}', which is not defined{Suggest.Hint(profile, profileGroups)}");
                }

                if ((rule.Get("from") is null) != (rule.Get("to") is null))
                {
                    Add(rule.Get("from") ?? rule.Get("to")!, $"{owner} filtering: give both 'from' and 'to', or neither (all day)");
                }
                else if (Str(rule.Get("from")) is { } from && from == Str(rule.Get("to")))
                {
                    Add(rule.Get("to")!, $"{owner} filtering: 'from' and 'to' are both {from}; leave both out for all day");
                }
            }
        }
    }

    private void CheckHours(YNode? hours, string owner)
    {
        foreach (var h in Items(hours))
        {
            if (h.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            CheckGroups(h.Get("groups"), $"{owner} hours");
            if (Str(h.Get("from")) is { } from && from == Str(h.Get("to")))
            {
                Add(h.Get("to")!, $"{owner} hours open and close at {from}: a window needs a length (for all day, leave the group out of 'hours')");
            }
        }
    }

    private void CheckGroups(YNode? list, string owner)
    {
        foreach (var g in Items(list))
        {
            if (Str(g) is { } id && !groupKinds.ContainsKey(id))
            {
                Add(g, $"{owner} names group '{id}', which is not defined{Suggest.Hint(id, GroupIds)}");
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
