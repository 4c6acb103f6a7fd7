using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// MAC authentication on a school-devices network (O21: pupils use Wi-Fi only on school devices, never their own; C3):
/// the controller sends the device's MAC as User-Name (and usually as User-Password and Calling-Station-Id). A MAC in
/// the school's device list is accepted in authorize — with its device group's VLAN and the policy's longest session —
/// and FreeRADIUS accepts it without a password check (<see cref="RadiusAnswer.AcceptWithoutPassword"/>); anything else,
/// an account's sign-in included, is refused in words. A MAC is an identifier, not a secret: this keeps personal devices
/// off by mistake and by default, not a determined person who copies a school device's MAC (docs/network.md).
/// </summary>
public sealed class DeviceAccess(BrightlineDbContext db)
{
    public async Task<RadiusAnswer> DecideAsync(string schoolId, SchoolPolicy policy, SchoolNetwork network, RadiusRequest request, RadiusStage stage, CancellationToken cancellationToken)
    {
        if (!MacAddress.TryNormalise(request.UserName, out var mac))
        {
            return RadiusAnswer.Reject(RadiusReasons.AccountOnDevicesNetwork,
                $"Network access refused: '{network.Name}' is for school devices only; personal devices and accounts cannot join it.");
        }

        // The MAC the device signs in as must be the one the controller saw (both are the device's, in MAC authentication).
        if (MacAddress.TryNormalise(request.CallingStationId, out var calling) && calling != mac)
        {
            return RadiusAnswer.Reject(RadiusReasons.MacMismatch,
                "Network access refused: the MAC address signed in with is not the device's own (Calling-Station-Id).");
        }

        var device = await db.Set<NetworkDevice>().AsNoTracking()
            .FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Mac == mac, cancellationToken);
        if (device is null)
        {
            return RadiusAnswer.Reject(RadiusReasons.UnknownDevice,
                $"Network access refused: {mac} is not a registered school device: personal devices cannot join '{network.Name}'. Ask the school's IT support to register a school device.");
        }

        int? vlan = network.Vlans.TryGetValue(device.DeviceGroup, out var v) ? v : network.Vlan;
        if (vlan is null)
        {
            return RadiusAnswer.Reject(RadiusReasons.DeviceNoVlan,
                $"Network access refused: the device group '{device.DeviceGroup}' has no place on the network '{network.Name}'.");
        }

        return new RadiusAnswer(RadiusAnswerKind.Accept, RadiusReasons.DeviceAccepted)
        {
            Vlan = vlan.Value.ToString(CultureInfo.InvariantCulture),
            SessionTimeoutSeconds = policy.Network.MaxSessionHours * 3600,
            AcceptWithoutPassword = stage == RadiusStage.Authorize,
        };
    }
}
