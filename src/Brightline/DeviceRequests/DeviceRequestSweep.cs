using Brightline.Network;

namespace Brightline.DeviceRequests;

/// <summary>
/// One pass of the requests' clock: expire approvals that ran out (withdrawing their devices), then end each withdrawn
/// device's live network sessions by its MAC with a RADIUS Disconnect-Request — the access change alone reconsiders
/// only sessions Brightline tied to the owner, and a personal device admitted by its MAC may have none — and remind owners
/// whose approval is in its renew window.
/// </summary>
public sealed class DeviceRequestSweep(DeviceRequestService requests)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var device in await requests.ExpireDueAsync(cancellationToken))
        {
            await requests.DisconnectAsync(device, $"the approval for personal device \"{device.Name}\" expired",
                SessionDisconnects.SystemActor, "disconnected: device approval expired", cancellationToken);
        }

        await requests.RemindDueAsync(cancellationToken);
    }
}
