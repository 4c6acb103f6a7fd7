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
/// <c>max_session_hours</c>, renewed by each Interim-Update, so a lost Stop cannot bind an address for ever.
/// </summary>
public sealed partial class RadiusAccounting(
    BrightlineDbContext db,
    PolicyStore policies,
    RadiusAccounts accounts,
    DnsClientBindings bindings,
    TimeProvider time,
    ILogger<RadiusAccounting> logger)
{
    public async Task<AccountingOutcome> RecordAsync(string schoolId, RadiusRequest request, CancellationToken cancellationToken)
    {
        var status = request.AccountingStatus;
        if (status is not (AccountingStatus.Start or AccountingStatus.InterimUpdate or AccountingStatus.Stop))
        {
            // Accounting-On/Off (a NAS restarting) would end all of its sessions; sessions per NAS are not kept yet, so bindings lapse instead.
            return AccountingOutcome.Ignored;
        }

        var userName = request.UserName;
        var address = request.FramedIpAddress;
        if (address is null)
        {
            return AccountingOutcome.Ignored; // a Start before DHCP: the Interim-Update that carries the address binds it
        }

        var (_, account) = await accounts.FindAsync(schoolId, userName, cancellationToken);
        if (account is null)
        {
            LogUnknownAccount(logger, schoolId);
            return AccountingOutcome.Ignored;
        }

        var key = address.ToString();
        var stored = await db.Set<DeviceBinding>().AsNoTracking().Where(b => b.Address == key)
            .Select(b => new { b.PersonId, b.SchoolId }).FirstOrDefaultAsync(cancellationToken);
        var ours = stored is not null && stored.PersonId == account.Person.Id && stored.SchoolId == schoolId;
        if (status == AccountingStatus.Stop)
        {
            if (!ours)
            {
                return AccountingOutcome.Ignored;
            }

            await bindings.UnbindAndForgetAsync(db, address, cancellationToken);
            return AccountingOutcome.Unbound;
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var until = time.GetUtcNow().AddHours(policy.Network.MaxSessionHours);
        // Where the device is (the same NAS-Identifier-then-SSID reading as the Access-Request's): the DNS filter applies
        // that network's location rules to the person. Null when the request names no network in the policy.
        var network = policy.Network.Find(request.NasIdentifier, request.Ssid)?.Name;
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

    [LoggerMessage(EventId = 13001, Level = LogLevel.Information, Message = "RADIUS accounting for school {School} names no account there; no address was bound.")]
    private static partial void LogUnknownAccount(ILogger logger, string school);
}
