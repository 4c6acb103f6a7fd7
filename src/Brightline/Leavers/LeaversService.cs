using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Loans;
using Brightline.People;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Leavers;

/// <summary>
/// C19: "equipment returned on long absence or leaving". A checklist is opened for a leaver (found by the worker from
/// the people import's leaving date, or by hand) or for someone starting an absence at least the policy's
/// long-absence length; it lists, as they are at that moment, the school devices assigned to the person, their open
/// loans and their approved personal devices and removable media (school data to remove). The policy's leavers roles
/// are emailed once when it opens. Each line is closed as the thing comes back (the device is unassigned, the loan
/// returned, the personal device's approval withdrawn) or written off with a reason; every device change is a history
/// row in the same SaveChanges.
/// </summary>
public sealed class LeaversService(
    BrightlineDbContext db, AuditLog audit, PolicyStore policies, EmailSender email, PortalLinks links, DeviceRegister register, LoanBook loans, TimeProvider time)
{
    public const string AuditOpened = "leaver-checklist-opened";
    public const string AuditItemClosed = "leaver-checklist-item-closed";
    public const string SystemActor = "brightline";

    /// <summary>How far back the worker looks for leavers (older leavers are opened by hand if anything is still out).</summary>
    public static readonly int RecentLeaverDays = 30;

    private static readonly DeviceState[] s_heldStates = [DeviceState.InUse, DeviceState.OnLoan, DeviceState.InRepair];

    public async Task<LeaverChecklist> OpenAsync(
        LeaversActor actor, Guid personId, LeaverReason reason, DateOnly? startsOn, DateOnly? endsOn, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == actor.SchoolId && p.Id == personId, cancellationToken)
            ?? throw new InvalidException("That person is not at this school.");
        var policy = await policies.ActiveAsync(actor.SchoolId, cancellationToken);
        var today = SchoolClock.Today(time);
        DateOnly start;
        if (reason == LeaverReason.LongAbsence)
        {
            if (policy.Devices.Leavers.LongAbsenceDays is not { } minimum)
            {
                throw new InvalidException("The policy does not ask for equipment back on a long absence; only leavers have a checklist.");
            }

            start = startsOn ?? throw new InvalidException("Enter the first day of the absence.");
            var end = endsOn ?? throw new InvalidException("Enter the expected last day of the absence.");
            if (end < start)
            {
                throw new InvalidException("The absence cannot end before it starts.");
            }

            var days = end.DayNumber - start.DayNumber + 1;
            if (days < minimum)
            {
                throw new InvalidException($"An absence of {UkFormat.Plural(days, "day", "days")} is shorter than the policy's long absence ({minimum} days); no checklist is needed.");
            }
        }
        else
        {
            start = startsOn ?? person.LeftOn ?? today;
            endsOn = null;
        }

        if (await db.Set<LeaverChecklist>().AnyAsync(c => c.SchoolId == actor.SchoolId && c.PersonId == personId && c.Reason == reason && c.StartsOn == start, cancellationToken))
        {
            throw new ConflictException($"{person.FullName} already has a checklist for this {(reason == LeaverReason.Leaving ? "leaving date" : "absence")}.");
        }

        var items = await ItemsForAsync(actor.SchoolId, personId, cancellationToken);
        return await SaveOpenedAsync(actor, person, reason, start, endsOn, items, policy.School.Name, policy.Devices.Leavers, cancellationToken);
    }

    /// <summary>The worker's pass: a checklist for each recent leaver of every school who still has equipment and has none yet.</summary>
    public async Task<int> OpenForAllLeaversAsync(CancellationToken cancellationToken)
    {
        var opened = 0;
        foreach (var school in await db.PolicyVersions.AsNoTracking().Where(v => v.IsActive).Select(v => v.SchoolId).Distinct().ToListAsync(cancellationToken))
        {
            opened += await OpenForLeaversAsync(school, cancellationToken);
        }

        return opened;
    }

    public async Task<int> OpenForLeaversAsync(string schoolId, CancellationToken cancellationToken)
    {
        var since = SchoolClock.Today(time).AddDays(-RecentLeaverDays);
        var checklists = db.Set<LeaverChecklist>().Where(c => c.SchoolId == schoolId && c.Reason == LeaverReason.Leaving);
        var leavers = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && p.LeftOn != null && p.LeftOn >= since && !checklists.Any(c => c.PersonId == p.Id && c.StartsOn == p.LeftOn))
            .ToListAsync(cancellationToken);
        if (leavers.Count == 0)
        {
            return 0;
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var opened = 0;
        foreach (var person in leavers)
        {
            var items = await ItemsForAsync(schoolId, person.Id, cancellationToken);
            if (items.Count == 0)
            {
                continue;
            }

            await SaveOpenedAsync(new LeaversActor(schoolId, SystemActor), person, LeaverReason.Leaving, person.LeftOn!.Value, null, items, policy.School.Name, policy.Devices.Leavers, cancellationToken);
            opened++;
        }

        return opened;
    }

    public async Task CloseItemAsync(LeaversActor actor, Guid checklistId, long itemId, string? outcome, string? note, CancellationToken cancellationToken)
    {
        var checklist = await db.Set<LeaverChecklist>().FirstOrDefaultAsync(c => c.SchoolId == actor.SchoolId && c.Id == checklistId, cancellationToken)
            ?? throw new NotFoundException("There is no such checklist.");
        var item = await db.Set<LeaverChecklistItem>().FirstOrDefaultAsync(i => i.SchoolId == actor.SchoolId && i.ChecklistId == checklistId && i.Id == itemId, cancellationToken)
            ?? throw new NotFoundException("There is no such line on the checklist.");
        if (item.Outcome is not null)
        {
            throw new InvalidException("That line is already closed.");
        }

        if (!LeaverItemOutcomes.Words.TryParse(outcome, out var result))
        {
            throw new InvalidException("Choose what happened: returned, data removed, or written off.");
        }

        var text = note?.Trim();
        if (text is { Length: > 1000 })
        {
            throw new InvalidException("The note is too long (1,000 characters at most).");
        }

        if (result == LeaverItemOutcome.WrittenOff && string.IsNullOrEmpty(text))
        {
            throw new InvalidException("Say why it is written off (for example, lost by the leaver; invoice sent).");
        }

        if ((result == LeaverItemOutcome.DataRemoved) != (item.Kind == LeaverItemKind.PersonalDevice) && result != LeaverItemOutcome.WrittenOff)
        {
            throw new InvalidException(item.Kind == LeaverItemKind.PersonalDevice
                ? "A personal device is not returned to the school: record that the school's data was removed from it."
                : "School equipment is returned, or written off.");
        }

        var now = StoredTime.Now(time);
        var device = await db.Set<Device>().FirstAsync(d => d.SchoolId == actor.SchoolId && d.Id == item.DeviceId, cancellationToken);
        var person = await db.People.AsNoTracking().Where(p => p.Id == checklist.PersonId).Select(p => p.GivenName + " " + p.FamilyName).FirstAsync(cancellationToken);
        var suffix = string.IsNullOrEmpty(text) ? "" : $" {text}";
        switch (result)
        {
            case LeaverItemOutcome.Returned when item.Kind == LeaverItemKind.Loan:
                var loan = await db.Set<DeviceLoan>().FirstAsync(l => l.SchoolId == actor.SchoolId && l.Id == item.LoanId, cancellationToken);
                if (loan.ReturnedAt is null)
                {
                    loan.ReturnedAt = now;
                    loan.ReturnedBy = actor.UserName;
                }

                var returned = $"Returned by {person}, who is {Why(checklist)} (leaver's checklist).{suffix}";
                if (device.State == DeviceState.OnLoan)
                {
                    register.StageStateChange(device, DeviceState.InUse, actor.UserName, returned, LoanBook.HistoryReturned, at: now);
                }
                else
                {
                    register.StageHistory(device, LoanBook.HistoryReturned, returned, actor.UserName, now);
                }

                break;
            case LeaverItemOutcome.Returned:
                device.PersonId = null;
                var handedBack = $"Handed back by {person}, who is {Why(checklist)}; no longer assigned (leaver's checklist).{suffix}";
                if (device.State != DeviceState.InUse && !DeviceRegister.Terminal.Contains(device.State))
                {
                    register.StageStateChange(device, DeviceState.InUse, actor.UserName, handedBack, "unassigned", at: now);
                }
                else
                {
                    register.StageHistory(device, "unassigned", handedBack, actor.UserName, now);
                }

                break;
            case LeaverItemOutcome.DataRemoved:
                var removed = $"School data removed from {person}'s personal device, who is {Why(checklist)}; approval withdrawn (leaver's checklist).{suffix}";
                if (device.State != DeviceState.Withdrawn && !DeviceRegister.Terminal.Contains(device.State))
                {
                    register.StageStateChange(device, DeviceState.Withdrawn, actor.UserName, removed, at: now);
                }
                else
                {
                    register.StageHistory(device, "state.withdrawn", removed, actor.UserName, now);
                }

                break;
            case LeaverItemOutcome.WrittenOff:
            default:
                var writtenOff = $"Written off on {person}'s leaver's checklist: {text}";
                if (item.Kind == LeaverItemKind.Loan)
                {
                    // C15: the loan closes as written off (the loan book shows it) and the device leaves "on loan", withdrawn
                    // from use, instead of staying out forever with no loan to sign it back in against.
                    var closed = await loans.StageCloseAsync(device, LoanBook.HistoryWrittenOff, writtenOff, actor.UserName, now, cancellationToken, item.LoanId);
                    if (closed is not null && device.State == DeviceState.OnLoan)
                    {
                        register.StageStateChange(device, DeviceState.Withdrawn, actor.UserName, writtenOff, "written_off", at: now);
                        break;
                    }
                }

                register.StageHistory(device, "written_off", writtenOff, actor.UserName, now);
                break;
        }

        device.UpdatedAt = now;
        item.Outcome = result;
        item.Note = string.IsNullOrEmpty(text) ? null : text;
        item.ClosedAt = now;
        item.ClosedBy = actor.UserName;
        var stillOpen = await db.Set<LeaverChecklistItem>().CountAsync(i => i.ChecklistId == checklistId && i.Outcome == null && i.Id != itemId, cancellationToken);
        if (stillOpen == 0)
        {
            checklist.ClosedAt = now;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditItemClosed, checklistId.ToString(), $"{item.Kind.Key()} {item.Description}: {result.Key()}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<LeaverChecklistView?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken)
    {
        var checklist = await db.Set<LeaverChecklist>().AsNoTracking().FirstOrDefaultAsync(c => c.SchoolId == schoolId && c.Id == id, cancellationToken);
        if (checklist is null)
        {
            return null;
        }

        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == checklist.PersonId, cancellationToken);
        var items = await db.Set<LeaverChecklistItem>().AsNoTracking().Where(i => i.ChecklistId == id).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        return new LeaverChecklistView(checklist, person, items);
    }

    /// <summary>Checklists, open first then newest, filtered by open/closed and by words in the person's name.</summary>
    public async Task<Paged<LeaverChecklistRow>> ListAsync(string schoolId, bool closed, string? search, int page, CancellationToken cancellationToken)
    {
        var items = db.Set<LeaverChecklistItem>();
        var query = db.Set<LeaverChecklist>().AsNoTracking().Where(c => c.SchoolId == schoolId && (closed ? c.ClosedAt != null : c.ClosedAt == null))
            .Join(db.People.AsNoTracking(), c => c.PersonId, p => p.Id, (c, p) => new { Checklist = c, p.GivenName, p.FamilyName });
        if (!string.IsNullOrWhiteSpace(search))
        {
            var q = search.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            query = query.Where(r => (r.GivenName + " " + r.FamilyName).ToLower().Contains(q));
#pragma warning restore CA1862, CA1311
        }

        page = PortalHtml.ClampPage(page);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.Checklist.OpenedAt).ThenBy(r => r.Checklist.Id)
            .Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize)
            .Select(r => new
            {
                r.Checklist, r.GivenName, r.FamilyName,
                Open = items.Count(i => i.ChecklistId == r.Checklist.Id && i.Outcome == null),
                Total = items.Count(i => i.ChecklistId == r.Checklist.Id),
            })
            .ToListAsync(cancellationToken);
        return new Paged<LeaverChecklistRow>(rows.Select(r => new LeaverChecklistRow(r.Checklist, $"{r.GivenName} {r.FamilyName}", r.Open, r.Total)).ToList(), page, total);
    }

    /// <summary>How many people have a checklist with something still to come back (the dashboard's line).</summary>
    public Task<int> OutstandingCountAsync(string schoolId, CancellationToken cancellationToken)
    {
        var items = db.Set<LeaverChecklistItem>();
        return db.Set<LeaverChecklist>().Where(c => c.SchoolId == schoolId && c.ClosedAt == null && items.Any(i => i.ChecklistId == c.Id && i.Outcome == null))
            .Select(c => c.PersonId).Distinct().CountAsync(cancellationToken);
    }

    /// <summary>People of the school matching a name or MIS number, for the "open a checklist" form.</summary>
    public async Task<IReadOnlyList<Person>> MatchPeopleAsync(string schoolId, string? text, CancellationToken cancellationToken)
    {
        var q = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(q))
        {
            return [];
        }

#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
        return await db.People.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && (p.ExternalId.ToLower() == q || (p.GivenName + " " + p.FamilyName).ToLower() == q))
            .OrderBy(p => p.FamilyName).Take(10).ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
    }

    private async Task<List<LeaverChecklistItem>> ItemsForAsync(string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var loans = await db.Set<DeviceLoan>().AsNoTracking().Where(l => l.SchoolId == schoolId && l.BorrowerPersonId == personId && l.ReturnedAt == null)
            .Join(db.Set<Device>().AsNoTracking(), l => l.DeviceId, d => d.Id, (l, d) => new { Loan = l, Device = d }).OrderBy(x => x.Loan.OutAt).ToListAsync(cancellationToken);
        var onLoan = loans.Select(l => l.Device.Id).ToHashSet();
        var devices = await db.Set<Device>().AsNoTracking()
            .Where(d => d.SchoolId == schoolId && d.PersonId == personId
                && ((d.Ownership == DeviceOwnership.School && s_heldStates.Contains(d.State)) || (d.Ownership == DeviceOwnership.Personal && d.State == DeviceState.InUse)))
            .OrderBy(d => d.Name).ToListAsync(cancellationToken);
        var items = loans.Select(l => new LeaverChecklistItem
        {
            SchoolId = schoolId, Kind = LeaverItemKind.Loan, DeviceId = l.Device.Id, LoanId = l.Loan.Id,
            Description = Clip($"{Label(l.Device)}, on loan since {UkFormat.Short(SchoolClock.DateOf(l.Loan.OutAt))} ({l.Loan.Purpose})"),
        }).ToList();
        items.AddRange(devices.Where(d => !onLoan.Contains(d.Id)).Select(d => new LeaverChecklistItem
        {
            SchoolId = schoolId,
            Kind = d.Ownership == DeviceOwnership.School ? LeaverItemKind.SchoolDevice : LeaverItemKind.PersonalDevice,
            DeviceId = d.Id,
            Description = Clip(Label(d)),
        }));
        return items;
    }

    private async Task<LeaverChecklist> SaveOpenedAsync(
        LeaversActor actor, Person person, LeaverReason reason, DateOnly start, DateOnly? end, List<LeaverChecklistItem> items, string schoolName,
        Policy.Model.LeaversPolicy rule, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var checklist = new LeaverChecklist
        {
            Id = Guid.NewGuid(), SchoolId = actor.SchoolId, PersonId = person.Id, Reason = reason, StartsOn = start, EndsOn = end,
            OpenedAt = now, OpenedBy = actor.UserName, ClosedAt = items.Count == 0 ? now : null,
        };
        db.Set<LeaverChecklist>().Add(checklist);
        foreach (var item in items)
        {
            item.ChecklistId = checklist.Id;
        }

        db.Set<LeaverChecklistItem>().AddRange(items);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (items.Count > 0)
        {
            // Told once, when the checklist opens: what to collect, from whom, and where to tick it off.
            var why = reason == LeaverReason.Leaving ? $"leaving on {UkFormat.Short(start)}" : $"starting a long absence on {UkFormat.Short(start)}";
            var body = $"{schoolName}: {person.FullName} is {why} and has school equipment or data to return ({rule.Requirement ?? "leavers' equipment"}):\n\n"
                + string.Join("\n", items.Select(i => $"- {i.Description}{(i.Kind == LeaverItemKind.PersonalDevice ? " (personal: remove the school's data)" : "")}"))
                + $"\n\nTick each off as it comes back: {links.BaseUrl()}/devices/leavers/{checklist.Id}\n";
            var sent = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var role in rule.Notify)
            {
                foreach (var (address, personId) in await RoleHolders.EmailsAsync(db, policies, actor.SchoolId, role, cancellationToken))
                {
                    if (sent.Add(address))
                    {
                        email.Enqueue(actor.SchoolId, address, $"{schoolName}: equipment to collect from {person.FullName}", body, "leaver-checklist", personId);
                    }
                }
            }

            checklist.NotifiedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditOpened, checklist.Id.ToString(), $"{reason.Key()}: {items.Count} item(s)", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return checklist;
    }

    private static string Why(LeaverChecklist checklist) => checklist.Reason == LeaverReason.Leaving ? "leaving" : "on a long absence";

    private static string Label(Device device) => device.Name + (device.AssetTag is { } tag ? $" ({tag})" : "");

    private static string Clip(string text) => text.Length <= 300 ? text : text[..299] + "…";
}
