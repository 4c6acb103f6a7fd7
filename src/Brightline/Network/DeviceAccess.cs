using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// MAC authentication on a school-devices network (O21: pupils use Wi-Fi only on school devices, never their own; C3):
/// the controller sends the device's MAC as User-Name (and usually as User-Password and Calling-Station-Id). A MAC of a
/// device in the school's register (issue 14), in use or on loan, is accepted in authorize — with its device group's VLAN and the policy's longest session —
/// and FreeRADIUS accepts it without a password check (<see cref="RadiusAnswer.AcceptWithoutPassword"/>); anything else,
/// a lost, stolen, disposed of or withdrawn device, a personal device where the network takes none, and an account's
/// sign-in included, is refused in words. A MAC is an identifier, not a secret: this keeps personal devices
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

        // The register's MAC index (issue 14): one indexed lookup, whatever the register's size.
        var device = await (from m in db.Set<DeviceMac>().AsNoTracking()
                            join d in db.Set<Device>() on m.DeviceId equals d.Id
                            where m.SchoolId == schoolId && m.Mac == mac
                            select new { d.Name, d.State, d.Ownership, d.DeviceGroup }).FirstOrDefaultAsync(cancellationToken);
        if (device is null)
        {
            return RadiusAnswer.Reject(RadiusReasons.UnknownDevice,
                $"Network access refused: {mac} is not a registered school device: personal devices cannot join '{network.Name}'. Ask the school's IT support to register a school device.");
        }

        if (device.State is not (DeviceState.InUse or DeviceState.OnLoan))
        {
            // A lost, stolen, disposed of or withdrawn device — or one in repair, custody or lost property — stays off.
            return RadiusAnswer.Reject(RadiusReasons.DeviceNotInUse,
                $"Network access refused: the register records '{device.Name}' as {StateWords(device.State)}, so it cannot join '{network.Name}'.");
        }

        if (device.Ownership == DeviceOwnership.Personal && !network.ApprovedPersonalDevices)
        {
            return RadiusAnswer.Reject(RadiusReasons.PersonalDevice,
                $"Network access refused: '{device.Name}' is a personal device on a school-devices-only network: '{network.Name}' does not take personal devices, even approved ones.");
        }

        if (device.Ownership == DeviceOwnership.Unknown)
        {
            return RadiusAnswer.Reject(RadiusReasons.UnknownDevice,
                $"Network access refused: '{device.Name}' has no known owner, so it cannot join '{network.Name}'.");
        }

        int? vlan = device.DeviceGroup is { } g && network.Vlans.TryGetValue(g, out var v) ? v : network.Vlan;
        if (vlan is null)
        {
            return RadiusAnswer.Reject(RadiusReasons.DeviceNoVlan,
                $"Network access refused: the device group '{device.DeviceGroup ?? "(none)"}' has no place on the network '{network.Name}'.");
        }

        return new RadiusAnswer(RadiusAnswerKind.Accept, RadiusReasons.DeviceAccepted)
        {
            Vlan = vlan.Value.ToString(CultureInfo.InvariantCulture),
            SessionTimeoutSeconds = policy.Network.MaxSessionHours * 3600,
            AcceptWithoutPassword = stage == RadiusStage.Authorize,
        };
    }

    private static string StateWords(DeviceState state) => state switch
    {
        DeviceState.InUse => "in use",
        DeviceState.OnLoan => "on loan",
        DeviceState.InRepair => "in repair",
        DeviceState.Lost => "lost",
        DeviceState.Stolen => "stolen",
        DeviceState.InCustody => "held in custody",
        DeviceState.Found => "found and held as lost property",
        DeviceState.Disposed => "disposed of",
        DeviceState.Withdrawn => "withdrawn",
        _ => state.Key(),
    };
}
