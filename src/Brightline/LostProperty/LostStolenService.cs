using Brightline.AccessChanges;
using Brightline.Audit;
using Brightline.BrowserExtension;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Email;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Loans;
using Brightline.Network;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.LostProperty;

/// <summary>
/// F7: "loss or theft reported at once to the IT provider and the Head/SBM". A report marks the device lost or stolen
/// with a history row and tells the policy's notify roles in the same commit; publishes an access change for the
/// person it was assigned to (so every cache of their network answers is dropped); then opens an incident of the
/// policy's category (or the lost-device register), which notifies as the incidents policy says; and sends a RADIUS
/// Disconnect-Request for each live network session from one of the device's MAC addresses. The device's refusal on
/// the network afterwards is the register's (a device not in use is refused). The browser-extension tokens of the
/// device's browsers (tied to it at enrolment by the serial or asset ID a managed Chromebook reports) and their
/// monitoring tokens are revoked in the same commit, and the device enrols no one afterwards (docs/devices.md).
/// </summary>
public sealed class LostStolenService(
    BrightlineDbContext db,
    AuditLog audit,
    PolicyStore policies,
    EmailSender email,
    IAccessChanges accessChanges,
    IncidentService incidents,
    SessionDisconnects disconnects,
    ExtensionTokenCache extensionTokens,
    PortalLinks links,
    DeviceRegister register,
    LoanBook loans,
    TimeProvider time)
{
    public const string AuditReported = "device-reported-lost";
    public const string AccessChangeReason = "device-lost";

    private static readonly DeviceState[] s_reportable = [DeviceState.InUse, DeviceState.OnLoan, DeviceState.InRepair];

    /// <summary>The device if <paramref name="actor"/> may report it: keepers any device of the school, anyone else a device assigned to them.</summary>
    public async Task<Device?> FindReportableAsync(LostPropertyActor actor, bool keeper, Guid id, CancellationToken cancellationToken)
    {
        var device = await db.Set<Device>().AsNoTracking().FirstOrDefaultAsync(d => d.SchoolId == actor.SchoolId && d.Id == id, cancellationToken);
        return device is not null && (keeper || (device.PersonId is { } owner && owner == actor.PersonId)) ? device : null;
    }

    /// <summary>The devices assigned to the actor that they could report (for the "report lost" page without a device).</summary>
    public async Task<IReadOnlyList<Device>> MineAsync(LostPropertyActor actor, CancellationToken cancellationToken) =>
        actor.PersonId is not { } me ? [] : await db.Set<Device>().AsNoTracking()
            .Where(d => d.SchoolId == actor.SchoolId && d.PersonId == me && s_reportable.Contains(d.State)).OrderBy(d => d.Name).ToListAsync(cancellationToken);

    public async Task<LostStolenOutcome> ReportAsync(LostPropertyActor actor, bool keeper, Guid id, bool stolen, string? circumstances, CancellationToken cancellationToken)
    {
        _ = await FindReportableAsync(actor, keeper, id, cancellationToken) ?? throw new NotFoundException("There is no such device.");
        var device = await db.Set<Device>().FirstAsync(d => d.SchoolId == actor.SchoolId && d.Id == id, cancellationToken);
        if (!s_reportable.Contains(device.State))
        {
            throw new InvalidException($"This device is {DeviceStates.Key(device.State).Replace('_', ' ')}; only a device in use, on loan or in repair can be reported lost or stolen.");
        }

        var what = FormText.Required(circumstances, 2000, "Say when and where the device was last seen, and what happened.");
        var policy = await policies.ActiveAsync(actor.SchoolId, cancellationToken);
        var rule = policy.Devices.LostStolen;
        var word = stolen ? "stolen" : "lost";
        var now = StoredTime.Now(time);
        var label = Describe(device);
        // A device lost while on loan closes its loan with that outcome (C15), so the loan book does not show it out forever.
        await loans.StageCloseAsync(device, stolen ? LoanBook.HistoryStolen : LoanBook.HistoryLost, $"Reported {word} by {actor.UserName}.", actor.UserName, now, cancellationToken);
        register.StageStateChange(device, stolen ? DeviceState.Stolen : DeviceState.Lost, actor.UserName, $"Reported {word} by {actor.UserName}: {what}", at: now);
        if (device.PersonId is { } person)
        {
            // Drops cached network decisions for the person, and asks the network to reconsider their sessions.
            accessChanges.Publish(db, actor.SchoolId, person, AccessChangeReason);
        }

        var subject = $"{policy.School.Name}: a device has been reported {word}";
        var body = $"{policy.School.Name}: {label} was reported {word} by {actor.UserName} on {UkFormat.DateTime(now)}"
            + $" ({rule.Requirement ?? "lost and stolen devices"}). Please act at once: block its accounts and wipe it remotely if you can.\n\n"
            + $"The device's record: {links.BaseUrl()}/devices/{device.Id}\n";
        // F7 "revoke its tokens": every browser enrolled on the device stops filtering through, and posting to, Brightline.
        var browsers = await db.Set<ExtensionToken>()
            .Where(t => t.SchoolId == actor.SchoolId && t.RegisterDeviceId == device.Id && t.RevokedAt == null).ToListAsync(cancellationToken);
        var browserIds = browsers.Select(t => t.Id).ToList();
        var monitors = await db.Set<MonitoringDevice>()
            .Where(d => d.SchoolId == actor.SchoolId && browserIds.Contains(d.Id) && d.RevokedAt == null).ToListAsync(cancellationToken);
        var revokedBy = $"{actor.UserName} (device reported {word})";
        foreach (var browser in browsers)
        {
            browser.RevokedAt = now;
            browser.RevokedBy = revokedBy;
        }

        foreach (var monitor in monitors)
        {
            monitor.RevokedAt = now;
            monitor.RevokedBy = revokedBy;
        }

        if (browsers.Count > 0)
        {
            register.StageHistory(device, "tokens.revoked",
                $"Revoked the browser extension and monitoring tokens of {browsers.Count} browser(s) on it: {string.Join(", ", browsers.Select(b => b.DeviceName).Distinct(StringComparer.Ordinal))}.",
                actor.UserName, now);
        }

        int emailed;
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            emailed = await RoleMail.QueueAsync(db, policies, email, actor.SchoolId, rule.Notify, subject, body, "device-lost", cancellationToken);
            register.StageHistory(device, "notified", emailed == 0
                ? $"Nobody holds the {string.Join(", ", rule.Notify.Select(LostPropertyService.RoleWords))} role(s) with an email address; nobody was emailed."
                : $"Emailed {emailed} holder(s) of {string.Join(", ", rule.Notify.Select(LostPropertyService.RoleWords))}.", "brightline", now);
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditReported, device.Id.ToString(), $"{word}: {label}", null, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        // The revoked tokens stop working at once in this process (other processes within the cache's 30 seconds).
        foreach (var browser in browsers)
        {
            extensionTokens.Forget(browser.Id);
        }

        return await AfterReportAsync(actor, device, rule.IncidentCategory, word, what, label, emailed, cancellationToken);
    }

    private async Task<LostStolenOutcome> AfterReportAsync(
        LostPropertyActor actor, Device device, string? category, string word, string what, string label, int emailed, CancellationToken cancellationToken)
    {
        // The incident opens in its own transaction (the register's), after the device's state is safely stored.
        Guid? incidentId = null;
        string? problem = null;
        try
        {
            var incident = await incidents.CreateAsync(new NewIncident(
                actor.SchoolId, category ?? IncidentKinds.LostDevice, FormText.Clip($"Device reported {word}: {label}", 300),
                device.PersonId is { } p ? [p] : [], [], what, actor.UserName, DeviceDescription: FormText.Clip(label, 500)), cancellationToken);
            incidentId = incident.Id;
        }
        catch (DomainException e)
        {
            problem = e.Message;
        }

        var now = StoredTime.Now(time);
        register.StageHistory(device, incidentId is null ? "incident.not_opened" : "incident.opened",
            incidentId is { } opened ? $"Incident opened: /incidents/{opened}." : $"No incident could be opened: {problem}", "brightline", now);

        var results = new List<string>();
        var macs = device.Macs.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => MacAddress.TryNormalise(m, out var n) ? n : m).ToList();
        if (macs.Count > 0)
        {
            var live = await db.Set<NetworkSession>().AsNoTracking()
                .Where(s => s.SchoolId == device.SchoolId && s.EndedAt == null && s.Mac != null && macs.Contains(s.Mac)).Select(s => new { s.Id, s.Mac }).ToListAsync(cancellationToken);
            foreach (var session in live)
            {
                var result = await disconnects.DisconnectAsync(device.SchoolId, session.Id, $"device reported {word}: {label}", actor.UserName, $"disconnected: device {word}", cancellationToken);
                results.Add($"{session.Mac}: {DisconnectResultText.Describe(result)}");
            }

            register.StageHistory(device, "network.disconnect", live.Count == 0
                ? "No live network session from its MAC addresses."
                : $"Disconnect-Request sent for {live.Count} live session(s): {string.Join("; ", results)}", "brightline", StoredTime.Now(time));
        }

        await db.SaveChangesAsync(cancellationToken);
        return new LostStolenOutcome(incidentId, problem, emailed, results);
    }

    private static string Describe(Device device) =>
        device.Name + (device.AssetTag is { } tag ? $" (asset tag {tag})" : "") + (device.Serial is { } serial ? $", serial {serial}" : "");
}
