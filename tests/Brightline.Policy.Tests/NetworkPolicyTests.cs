using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// The <c>network:</c> section (issue 13): networks with their SSIDs, NAS identifiers and VLANs per group, what an
/// unsigned person gets (H2, C1), and the RADIUS clients, which name the setting that holds their secret. Typed and
/// checked with positions like every section.
/// </summary>
public sealed class NetworkPolicyTests
{
    private const string Section = """
        network:
          unsigned: quarantine
          max_session_hours: 8
          networks:
            - name: pupil-wifi
              kind: people
              ssids: [Pupils]
              vlans: { ks1: 20 }
              requirements: [H2]
            - name: staff-wifi
              kind: people
              ssids: [Staff]
              nas_identifiers: [Staff-Switch]
              vlans: { staff: 30, ks1: 21 }
            - { name: ipads, kind: school_devices, ssids: [Devices], vlan: 40 }
            - { name: quarantine, kind: quarantine, vlan: 99 }
          radius_clients:
            - { name: controller, address: 10.0.0.2, secret_setting: controller-secret }
            - { name: switches, address: 10.0.1.0/24, secret_setting: switches, disconnect_port: 1700 }
        """;

    private static string With(string section) => PolicyLoaderTests.Valid + "\n" + section;

    private static IReadOnlyList<string> Errors(string yaml) =>
        PolicyLoader.Load(yaml, "test.yaml").Errors.Select(e => e.ToString()).ToList();

    private static string At(string yaml, string text)
    {
        var sectionStart = PolicyLoaderTests.Valid.Split('\n').Length;
        var lines = yaml.Split('\n');
        var line = Enumerable.Range(0, lines.Length).First(i => i >= sectionStart && lines[i].Contains(text, StringComparison.Ordinal));
        return $"test.yaml:{line + 1}:{lines[line].IndexOf(text, StringComparison.Ordinal) + 1}: ";
    }

    [Fact]
    public void Load_WithoutNetworkSection_RejectsUnsignedAndHasNoNetworks()
    {
        var network = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml").Network;

        network.Unsigned.ShouldBe(UnsignedNetworkAction.Reject);
        network.MaxSessionHours.ShouldBe(12);
        network.Networks.ShouldBeEmpty();
        network.RadiusClients.ShouldBeEmpty();
        network.DeviceGroups.ShouldBeEmpty();
        network.Guests.IssuedBy.ShouldBe(["head"], "O22: the Head authorises visitors' Wi-Fi unless the policy says otherwise");
    }

    [Fact]
    public void Load_SchoolDevicesAndGuests_ReadsDeviceGroupVlansAndIssuers()
    {
        var network = PolicyLoader.LoadValid(With("""
            network:
              device_groups: [ipads, chromebooks]
              guests:
                issued_by: [head, business_manager]
              networks:
                - { name: devices, kind: school_devices, ssids: [Devices], vlans: { ipads: 40 }, vlan: 41, requirements: [O21] }
                - { name: visitors, kind: guest, ssids: [Visitors], vlan: 50, requirements: [O22] }
            """), "test.yaml").Network;

        network.DeviceGroups.ShouldBe(["ipads", "chromebooks"]);
        network.Guests.IssuedBy.ShouldBe(["head", "business_manager"]);
        network.Networks[0].Vlans["ipads"].ShouldBe(40);
        network.Networks[0].Vlan.ShouldBe(41, "the VLAN of device groups not under 'vlans'");
        network.Networks[1].Kind.ShouldBe(NetworkKind.Guest);
    }

    [Fact]
    public void Load_NetworkSection_ReadsEveryKey_AndFindsNetworksByNasThenSsid()
    {
        var network = PolicyLoader.LoadValid(With(Section), "test.yaml").Network;

        network.Unsigned.ShouldBe(UnsignedNetworkAction.Quarantine);
        network.MaxSessionHours.ShouldBe(8);
        network.Networks.Select(n => n.Kind).ShouldBe([NetworkKind.People, NetworkKind.People, NetworkKind.SchoolDevices, NetworkKind.Quarantine]);
        var staff = network.Networks[1];
        staff.Vlans["staff"].ShouldBe(30);
        staff.Vlans["ks1"].ShouldBe(21);
        network.Networks[0].Requirements.ShouldBe(["H2"]);
        network.Quarantine!.Vlan.ShouldBe(99);
        network.RadiusClients[1].ShouldBe(new RadiusClientPolicy { Name = "switches", Address = "10.0.1.0/24", SecretSetting = "switches", DisconnectPort = 1700 });
        network.RadiusClients[0].DisconnectPort.ShouldBe(3799, "RFC 5176's port when the policy does not say");

        network.Find("staff-switch", "Pupils")!.Name.ShouldBe("staff-wifi", "the NAS identifier decides first, ignoring case");
        network.Find(null, "Pupils")!.Name.ShouldBe("pupil-wifi");
        network.Find(null, "pupils").ShouldBeNull("an SSID is case-sensitive");
        network.Find("unknown", null).ShouldBeNull();
    }

    [Theory]
    [InlineData("network:\n  unsigend: reject\n", "unsigend", "unknown key 'unsigend' in network; did you mean 'unsigned'?")]
    [InlineData("network:\n  unsigned: quarantne\n", "quarantne", "'unsigned' must be one of reject, quarantine, not 'quarantne'; did you mean 'quarantine'?")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: peple, ssids: [A], vlans: { ks1: 2 } }\n", "peple", "must be one of people, school_devices, guest, quarantine, not 'peple'; did you mean 'people'?")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: people, ssid: [A], vlans: { ks1: 2 } }\n", "ssid", "did you mean 'ssids'?")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: people, ssids: [A], vlans: { ks1: 5000 } }\n", "5000", "must be at most 4094, not 5000")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: people, ssids: [A], vlans: { ks2: 20 } }\n", "ks2", "network 'a' gives a VLAN to group 'ks2', which is not defined; did you mean 'ks1'?")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: people, ssids: [A], vlan: 20 }\n", "20", "network 'a' is for people: give a VLAN per group under 'vlans'")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: guest, ssids: [A] }\n", "guest", "network 'a' of kind guest needs its 'vlan'")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: guest, vlan: 3 }\n", "guest", "network 'a' has neither 'ssids' nor 'nas_identifiers'")]
    [InlineData("network:\n  networks:\n    - { name: a, kind: people, ssids: [A], vlans: { ks1: 2 } }\n    - { name: b, kind: guest, ssids: [B, A], vlan: 3 }\n", "A], vlan: 3", "network 'b': the SSID 'A' is already in another network")]
    [InlineData("network:\n  unsigned: quarantine\n  networks:\n    - { name: a, kind: people, ssids: [A], vlans: { ks1: 2 } }\n", "quarantine", "network 'unsigned: quarantine' needs a network of kind quarantine")]
    [InlineData("network:\n  radius_clients:\n    - { name: c, address: 10.0.0.300, secret_setting: c }\n", "10.0.0.300", "RADIUS client 'c' address '10.0.0.300' is not an IP address or a CIDR range")]
    [InlineData("network:\n  radius_clients:\n    - { name: c, address: 10.0.0.1, secret: hunter2 }\n", "secret", "unknown key 'secret' in network.radius_clients[1]")]
    // O21, C3: a school-devices network's VLANs are keyed by the policy's device groups.
    [InlineData("network:\n  device_groups: [ipads]\n  networks:\n    - { name: d, kind: school_devices, ssids: [D], vlans: { ipad: 40 } }\n", "ipad:", "network 'd' gives a VLAN to device group 'ipad', which is not in network.device_groups; did you mean 'ipads'?")]
    [InlineData("network:\n  device_groups: [ipads]\n  networks:\n    - { name: d, kind: school_devices, ssids: [D] }\n", "school_devices", "network 'd' is for school devices but has neither 'vlan' nor 'vlans'")]
    [InlineData("network:\n  device_groups: [ipads, ipads]\n", "ipads]", "device group 'ipads' is listed twice")]
    [InlineData("network:\n  networks:\n    - { name: g, kind: guest, ssids: [G], vlan: 3, vlans: { ks1: 2 } }\n", "{ ks1: 2 }", "network 'g' of kind guest has one 'vlan' for everyone on it")]
    // O22: who issues guest vouchers is a list of portal roles.
    [InlineData("network:\n  guests:\n    issued_by: [haed]\n", "haed", "not 'haed'; did you mean 'head'?")]
    [InlineData("network:\n  guests:\n    issued-by: [head]\n", "issued-by", "unknown key 'issued-by' in network.guests; did you mean 'issued_by'?")]
    [InlineData("network:\n  radius_clients:\n    - { name: c, address: 10.0.0.1, secret_setting: c, disconnect_port: 70000 }\n", "70000", "must be at most 65535, not 70000")]
    [InlineData("network:\n  radius_clients:\n    - { name: c, address: 10.0.0.1, secret_setting: c, disconnect_port: 1812 }\n", "1812", "RADIUS client 'c' disconnect_port 1812 is a RADIUS server port")]
    [InlineData("network:\n  radius_clients:\n    - { name: c, address: 10.0.0.1, secret_setting: c, disconect_port: 3799 }\n", "disconect_port", "did you mean 'disconnect_port'?")]
    public void Load_BadNetworkSection_IsAnErrorAtThePlace(string section, string at, string message)
    {
        var yaml = With(section);

        var errors = Errors(yaml);
        errors.ShouldContain(e => e.StartsWith(At(yaml, at), StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal), string.Join("\n", errors));
    }
}
