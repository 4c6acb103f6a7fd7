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
            DeviceGroups = Strings(node.Get("device_groups")),
            Guests = node.Get("guests") is { Kind: YNodeKind.Mapping } guests && guests.Get("issued_by") is { } issuedBy
                ? new GuestPolicy { IssuedBy = Strings(issuedBy) }
                : new GuestPolicy(),
            Locations = Items(node.Get("locations")).Select(l => new NetworkLocation
            {
                Name = Str(l.Get("name")) ?? "",
                Hours = Hours(l.Get("hours")),
                Filtering = Items(l.Get("filtering")).Select(BuildLocationProfile).ToList(),
                Requirements = Strings(l.Get("requirements")),
            }).ToList(),
        };
    }

    private static readonly Dictionary<string, DayOfWeek> s_days = new(StringComparer.Ordinal)
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    private static List<DayOfWeek> Days(YNode? node) => Strings(node).Where(s_days.ContainsKey).Select(d => s_days[d]).Distinct().ToList();

    private static List<NetworkHours> Hours(YNode? node) => Items(node)
        .Select(h => (Node: h, From: Time(h.Get("from")), To: Time(h.Get("to"))))
        .Where(h => h.From is not null && h.To is not null)
        .Select(h => new NetworkHours
        {
            Name = Str(h.Node.Get("name")),
            Groups = Strings(h.Node.Get("groups")),
            Days = Days(h.Node.Get("days")),
            On = ModelBuilder.Enum(h.Node.Get("on"), ScheduleDays.AnyDay),
            Window = new ScheduleWindow(h.From!.Value, h.To!.Value),
        }).ToList();

    private static LocationProfile BuildLocationProfile(YNode node)
    {
        var from = Time(node.Get("from"));
        var to = Time(node.Get("to"));
        return new LocationProfile
        {
            Groups = Strings(node.Get("groups")),
            Profile = Str(node.Get("profile")) ?? "",
            Days = Days(node.Get("days")),
            On = ModelBuilder.Enum(node.Get("on"), ScheduleDays.AnyDay),
            Window = from is { } f && to is { } t ? new ScheduleWindow(f, t) : null,
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
            Location = Str(n.Get("location")),
            Hours = Hours(n.Get("hours")),
            WhenUnreachable = ModelBuilder.Enum(n.Get("when_unreachable"), UnreachableAction.FailClosed),
            CacheMinutes = Int(n.Get("cache_minutes")) ?? SchoolNetwork.DefaultCacheMinutes,
            ApprovedPersonalDevices = Str(n.Get("personal_devices")) == "approved",
        };
    }
}
