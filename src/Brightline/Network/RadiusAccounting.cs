using System.Net;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// RADIUS accounting → who is at which address, for the DNS filter (issue 13, section 3). A Start or Interim-Update
/// with Framed-IP-Address binds the address to the person exactly as a portal sign-in does (stored, so a DNS filter
/// in another process follows within seconds, and published as an access change); a Stop unbinds it, but only when
/// the binding is still this person's (the address may already be someone else's). A binding lasts the policy's
/// <c>max_session_hours</c>, renewed by each Interim-Update, so a lost Stop cannot bind an address for ever. Every
/// request is also recorded as a session (<see cref="NetworkSessions"/>), and Accounting-On/Off from a NAS that
/// restarted ends its sessions and their bindings.
/// </summary>
public sealed partial class RadiusAccounting(
    BrightlineDbContext db,
    PolicyStore policies,
    RadiusAccounts accounts,
    DnsClientBindings bindings,
    NetworkSessions sessions,
    TimeProvider time,
    ILogger<RadiusAccounting> logger)
{
    public async Task<AccountingOutcome> RecordAsync(string schoolId, RadiusRequest request, CancellationToken cancellationToken)
    {
        var status = request.AccountingStatus;
        if (status is AccountingStatus.AccountingOn or AccountingStatus.AccountingOff)
        {
            // The NAS restarted (On) or is going down (Off): every session it held has ended, and so have their bindings.
            var ended = await sessions.EndAllAtNasAsync(schoolId, request, cancellationToken);
            foreach (var session in ended.Where(s => s.PersonId is not null && s.Address is not null))
            {
                await UnbindIfOursAsync(schoolId, session.PersonId!.Value, IPAddress.Parse(session.Address!), cancellationToken);
            }

            return ended.Count > 0 ? AccountingOutcome.Unbound : AccountingOutcome.Ignored;
        }

        if (status is not (AccountingStatus.Start or AccountingStatus.InterimUpdate or AccountingStatus.Stop))
        {
            return AccountingOutcome.Ignored;
        }

        var userName = request.UserName;
        var address = request.FramedIpAddress;
        var (_, account) = await accounts.FindAsync(schoolId, userName, cancellationToken);
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);

        // Where the device is (the same NAS-Identifier-then-SSID reading as the Access-Request's): the session's network,
        // and the DNS filter applies its location rules to the person. Null when the request names no network in the policy.
        var network = policy.Network.Find(request.NasIdentifier, request.Ssid)?.Name;

        // Every session is recorded, a device's or a guest's too: the Network page lists them all.
        await sessions.RecordAsync(schoolId, request, network, account?.Person.Id, cancellationToken);

        if (address is null)
        {
            return AccountingOutcome.Ignored; // a Start before DHCP: the Interim-Update that carries the address binds it
        }

        if (account is null)
        {
            LogUnknownAccount(logger, schoolId);
            return AccountingOutcome.Ignored;
        }

        if (status == AccountingStatus.Stop)
        {
            return await UnbindIfOursAsync(schoolId, account.Person.Id, address, cancellationToken)
                ? AccountingOutcome.Unbound
                : AccountingOutcome.Ignored;
        }

        var key = address.ToString();
        var ours = await IsBoundToAsync(schoolId, account.Person.Id, key, cancellationToken);
        var until = time.GetUtcNow().AddHours(policy.Network.MaxSessionHours);
        if (ours && status == AccountingStatus.InterimUpdate)
        {
            // Already bound to this person: renew quietly, without an access change for every interim update of every device.
            bindings.Bind(address, schoolId, account.Person.Id, until, network);
            await db.Set<DeviceBinding>().Where(b => b.Address == key && b.PersonId == account.Person.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(b => b.Until, until.ToUniversalTime()).SetProperty(b => b.Network, network), cancellationToken);
            return AccountingOutcome.Bound;
        }

        await bindings.BindAndStoreAsync(db, address, schoolId, account.Person.Id, until, cancellationToken, network);
        return AccountingOutcome.Bound;
    }

    /// <summary>Removes the address's binding only while it is still this person's: the address may already be someone else's.</summary>
    private async Task<bool> UnbindIfOursAsync(string schoolId, Guid personId, IPAddress address, CancellationToken cancellationToken)
    {
        if (!await IsBoundToAsync(schoolId, personId, address.ToString(), cancellationToken))
        {
            return false;
        }

        await bindings.UnbindAndForgetAsync(db, address, cancellationToken);
        return true;
    }

    private Task<bool> IsBoundToAsync(string schoolId, Guid personId, string address, CancellationToken cancellationToken) =>
        db.Set<DeviceBinding>().AsNoTracking().AnyAsync(b => b.Address == address && b.PersonId == personId && b.SchoolId == schoolId, cancellationToken);

    [LoggerMessage(EventId = 13001, Level = LogLevel.Information, Message = "RADIUS accounting for school {School} names no account there; no address was bound.")]
    private static partial void LogUnknownAccount(ILogger logger, string school);
}
