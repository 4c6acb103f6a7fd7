using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Loans;

/// <summary>
/// The loan book (C15: "mobile equipment signed out and in — date, adult or class, purpose — returned to the suite and
/// charged at the end of the day"). A sign-out writes the loan, moves the device to <see cref="DeviceState.OnLoan"/> and
/// appends its history row in one SaveChanges; a sign-in completes the loan once and moves the device back. The
/// device's state is moved by the register (<see cref="DeviceRegister.StageStateChange"/>) after a conditional update
/// has claimed the row (only from in-use), so two people scanning the same iPad at once cannot both take it. A loan
/// whose device is reported lost or stolen, or written off, is closed with that outcome (<see cref="StageCloseAsync"/>)
/// rather than left out forever. Every list is one school's.
/// </summary>
public sealed class LoanBook(BrightlineDbContext db, PolicyStore policies, AuditLog audit, DeviceRegister register, TimeProvider time)
{
    public const string AuditOut = "loan-out";
    public const string AuditReturned = "loan-returned";
    public const string HistoryOut = "loan.out";
    public const string HistoryReturned = "loan.returned";

    /// <summary>
    /// How a loan closed other than by being signed back in: the device history row written when it closed. The outcome
    /// is read back from that row (same device, same time as the loan's ReturnedAt), so no loan column is needed.
    /// </summary>
    public const string HistoryWrittenOff = "loan.written_off";
    public const string HistoryLost = "loan.lost";
    public const string HistoryStolen = "loan.stolen";

    public static readonly IReadOnlyList<string> ClosedOutcomes = [HistoryWrittenOff, HistoryLost, HistoryStolen];

    /// <summary>The outcome in words ("Written off", "Reported lost" …) for a loan closed without a sign-in; null otherwise.</summary>
    public static string? DescribeOutcome(string? outcome) => outcome switch
    {
        HistoryWrittenOff => "Written off",
        HistoryLost => "Reported lost",
        HistoryStolen => "Reported stolen",
        _ => null,
    };

    /// <summary>The most rows one CSV export holds: a year's loans at a big school, not an unbounded read.</summary>
    public const int ExportCap = 50_000;

    private static readonly int s_pupil = PersonGroups.Mask(PersonKind.Pupil);
    private static readonly int s_adults = PersonGroups.Mask(PersonKind.Staff, PersonKind.Supply, PersonKind.Student, PersonKind.Volunteer, PersonKind.Contractor, PersonKind.Governor);

    /// <summary>When loans are due back by default: the policy's loan day end, else the calendar's end of the school day.</summary>
    public static TimeOnly DayEnd(SchoolPolicy policy) => policy.Devices.Loans.DayEnd ?? policy.School.Calendar.DayEnds;

    /// <summary>
    /// The default due time (C15: "returned at the end of the day"): the end of today when today is a school day on the
    /// policy's calendar (a Friday loan is due on Friday). After the day has ended (an after-school club), or on a day
    /// pupils are not in (a weekend, a bank holiday, an INSET day), the end of the next school day, so a default is never
    /// already overdue and never falls on a bank holiday. In the holidays the next school day may be weeks away; a loan
    /// then is due at the end of the next weekday that is not a bank holiday or closure (staff borrowing in the holidays
    /// bring it back the next working day), so a default never runs past the 60-day limit.
    /// </summary>
    public static DateTimeOffset DefaultDue(SchoolPolicy policy, DateTimeOffset now)
    {
        var end = DayEnd(policy);
        var calendar = policy.School.Calendar;
        var today = SchoolClock.DateOf(now);
        for (var day = today; day <= today.AddDays(14); day = day.AddDays(1))
        {
            var due = SchoolClock.FromUk(day.ToDateTime(end));
            if (due > now && calendar.IsSchoolDay(day))
            {
                return due;
            }
        }

        // Bounded: closures are at most a year long, so a working day comes well inside 400 days.
        for (var day = today; day <= today.AddDays(400); day = day.AddDays(1))
        {
            var due = SchoolClock.FromUk(day.ToDateTime(end));
            if (due > now && calendar.Classify(day) is DayKind.SchoolDay or DayKind.Holiday or DayKind.HalfTermHoliday)
            {
                return due;
            }
        }

        return SchoolClock.FromUk(today.AddDays(1).ToDateTime(end));
    }

    /// <summary>The device with this asset tag at the school (exactly, else ignoring case when that finds one), with its open loan.</summary>
    public async Task<(Device Device, LoanRow? Open)?> FindByTagAsync(string schoolId, string? tag, CancellationToken cancellationToken)
    {
        var t = tag?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }

        var devices = db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == schoolId);
        var device = await devices.FirstOrDefaultAsync(d => d.AssetTag == t, cancellationToken);
        if (device is null)
        {
            // A scanner or a phone keyboard may change the case; the tag is unique as stored, so only a single match counts.
            var lower = t.ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER().
            var matches = await devices.Where(d => d.AssetTag != null && d.AssetTag.ToLower() == lower).Take(2).ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
            device = matches.Count == 1 ? matches[0] : null;
        }

        if (device is null)
        {
            return null;
        }

        var open = (await Rows(schoolId).Where(r => r.Loan.DeviceId == device.Id && r.Loan.ReturnedAt == null)
            .OrderByDescending(r => r.Loan.OutAt).Take(1).ToListAsync(cancellationToken)).Select(ToRow).FirstOrDefault();
        return (device, open);
    }

    /// <summary>Why this device cannot be lent now, in words for the kiosk and the API; null when it can.</summary>
    public static string? WhyNotAvailable(Device device, LoanRow? open)
    {
        var name = Label(device);
        if (open is not null)
        {
            return $"{name} is already on loan to {open.Borrower} since {UkFormat.ShortDateTime(open.Loan.OutAt)} (due back {UkFormat.ShortDateTime(open.Loan.DueAt)}). Sign it back in first.";
        }

        if (device.Ownership == DeviceOwnership.Personal)
        {
            return $"{name} is a personal device; only the school's own equipment is lent from the loan book.";
        }

        if (device.Ownership == DeviceOwnership.Unknown)
        {
            return $"{name} is not known to be the school's (found property); it cannot be lent.";
        }

        return device.State switch
        {
            DeviceState.InUse => null,
            DeviceState.OnLoan => $"{name} is marked as on loan in the register; sign it back in first.",
            DeviceState.InRepair => $"{name} is in repair.",
            DeviceState.Lost => $"{name} is reported lost.",
            DeviceState.Stolen => $"{name} is reported stolen.",
            DeviceState.InCustody => $"{name} is held in custody.",
            DeviceState.Found => $"{name} is logged as found property.",
            DeviceState.Disposed => $"{name} has been disposed of.",
            DeviceState.Withdrawn => $"{name} has been withdrawn.",
            _ => $"{name} cannot be lent now.",
        };
    }

    public static string Label(Device device) => device.AssetTag is { } tag ? $"{device.Name} ({tag})" : device.Name;

    /// <summary>Signs a device out (C15). Bad input is a 400, a device that cannot go out a 409, each with the reason.</summary>
    public async Task<DeviceLoan> SignOutAsync(LoanActor actor, NewLoan request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.AssetTag))
        {
            throw new InvalidException("Type or scan the device's asset tag.");
        }

        var purpose = request.Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose))
        {
            throw new InvalidException("Say what the device is for (for example, a lesson or reading).");
        }

        if (purpose.Length > 500)
        {
            throw new InvalidException("The purpose is too long (500 characters at most).");
        }

        var found = await FindByTagAsync(actor.SchoolId, request.AssetTag, cancellationToken)
            ?? throw new InvalidException($"No device at the school has the asset tag '{request.AssetTag.Trim()}'. Check the label, or ask for it to be added to the register.");
        var (device, open) = found;
        if (WhyNotAvailable(device, open) is { } why)
        {
            throw new ConflictException(why, "The device is not available");
        }

        var (personId, className, borrower) = await BorrowerAsync(actor, request, cancellationToken);
        var policy = await policies.ActiveAsync(actor.SchoolId, cancellationToken);
        var now = StoredTime.Now(time);
        var due = request.DueAt is { } asked ? StoredTime.Truncate(asked) : DefaultDue(policy, now);
        if (due <= now)
        {
            throw new InvalidException($"The due time ({UkFormat.ShortDateTime(due)}) is in the past; choose a later time.");
        }

        if (due > now.AddDays(60))
        {
            throw new InvalidException("A loan from the loan book is for a lesson or a day, not more than 60 days; longer use is an assignment in the register.");
        }

        var loan = new DeviceLoan
        {
            SchoolId = actor.SchoolId,
            DeviceId = device.Id,
            BorrowerPersonId = personId,
            BorrowerClass = className,
            Purpose = purpose,
            OutAt = now,
            DueAt = due,
            OutBy = actor.UserName,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claims the row, only from in use (a row lock on PostgreSQL, the write lock on SQLite): whoever claims it first
        // wins, the other is told who has it. The register then moves it with the history row.
        var claimed = await db.Set<Device>().Where(d => d.Id == device.Id && d.SchoolId == actor.SchoolId && d.State == DeviceState.InUse)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.UpdatedAt, now), cancellationToken);
        if (claimed != 1)
        {
            await tx.RollbackAsync(cancellationToken);
            var again = await FindByTagAsync(actor.SchoolId, device.AssetTag, cancellationToken);
            throw new ConflictException(again is { } a ? WhyNotAvailable(a.Device, a.Open) ?? "The device has just changed; try again." : "The device has just changed; try again.",
                "The device is not available");
        }

        var tracked = await db.Set<Device>().SingleAsync(d => d.Id == device.Id && d.SchoolId == actor.SchoolId, cancellationToken);
        db.Set<DeviceLoan>().Add(loan);
        register.StageStateChange(tracked, DeviceState.OnLoan, actor.UserName,
            $"Signed out to {borrower} for \"{purpose}\", due back {UkFormat.ShortDateTime(due)}.", HistoryOut, at: now);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditOut, loan.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{Label(device)} to {borrower}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return loan;
    }

    /// <summary>Signs a loan back in once; the suite and charge ticks are stored only where the policy asks for them (C15).</summary>
    public async Task<DeviceLoan> ReturnAsync(LoanActor actor, long loanId, LoanReturn request, CancellationToken cancellationToken)
    {
        var loan = await db.Set<DeviceLoan>().FirstOrDefaultAsync(l => l.SchoolId == actor.SchoolId && l.Id == loanId, cancellationToken)
            ?? throw new NotFoundException("There is no such loan at this school.");
        if (loan.ReturnedAt is { } at)
        {
            throw (await LoanAsync(actor.SchoolId, loanId, cancellationToken))?.OutcomeText is { } outcome
                ? new ConflictException($"This loan was closed on {UkFormat.ShortDateTime(at)} by {loan.ReturnedBy}: {outcome.ToLowerInvariant()}. There is nothing to sign back in.", "Loan closed")
                : new ConflictException($"This loan was already signed back in on {UkFormat.ShortDateTime(at)} by {loan.ReturnedBy}.", "Already signed in");
        }

        var policy = await policies.ActiveAsync(actor.SchoolId, cancellationToken);
        var rules = policy.Devices.Loans;
        var now = StoredTime.Now(time);
        loan.ReturnedAt = now;
        loan.ReturnedBy = actor.UserName;
        loan.ReturnedToSuite = rules.ReturnToSuite ? request.ReturnedToSuite : null;
        loan.Charged = rules.Charge ? request.Charged : null;
        var detail = $"Signed back in by {actor.UserName}"
            + (loan.ReturnedToSuite is { } suite ? $"; back in the suite: {(suite ? "yes" : "no")}" : "")
            + (loan.Charged is { } charged ? $"; on charge: {(charged ? "yes" : "no")}" : "") + ".";

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        // A device moved on while out (in repair, say) keeps that state; the loan still closes.
        var device = await db.Set<Device>().SingleAsync(d => d.Id == loan.DeviceId && d.SchoolId == actor.SchoolId, cancellationToken);
        if (device.State == DeviceState.OnLoan)
        {
            register.StageStateChange(device, DeviceState.InUse, actor.UserName, detail, HistoryReturned, at: now);
        }
        else
        {
            register.StageHistory(device, HistoryReturned, detail, actor.UserName, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditReturned, loan.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), detail, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return loan;
    }

    /// <summary>
    /// Closes the device's open loan, if it has one, with an outcome other than a sign-in (<see cref="HistoryWrittenOff"/>,
    /// <see cref="HistoryLost"/>, <see cref="HistoryStolen"/>): the loan gets its closing time and who closed it, and the
    /// device's history a row with that outcome at the same time, which the loan book shows. Staged only: the caller
    /// (a lost-or-stolen report, a leaver's checklist) saves it with its own change, in its own transaction. Returns the
    /// loan closed, or null when none was open. <paramref name="loanId"/> names the loan (a leaver's checklist line); a
    /// named loan already closed is left as it is.
    /// </summary>
    public async Task<DeviceLoan?> StageCloseAsync(
        Device device, string outcome, string why, string actor, DateTimeOffset now, CancellationToken cancellationToken, long? loanId = null)
    {
        if (!ClosedOutcomes.Contains(outcome, StringComparer.Ordinal))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not a loan outcome.");
        }

        var loan = await db.Set<DeviceLoan>().Where(l => l.SchoolId == device.SchoolId && l.DeviceId == device.Id && l.ReturnedAt == null)
            .Where(l => loanId == null || l.Id == loanId)
            .OrderByDescending(l => l.OutAt).FirstOrDefaultAsync(cancellationToken);
        if (loan is null)
        {
            return null;
        }

        loan.ReturnedAt = now;
        loan.ReturnedBy = actor.Length <= 256 ? actor : actor[..256];
        var borrower = loan.BorrowerClass ?? (loan.BorrowerPersonId is { } p ? await PersonNameAsync(device.SchoolId, p, cancellationToken) : null) ?? "—";
        register.StageHistory(device, outcome,
            $"Loan to {borrower} (out {UkFormat.ShortDateTime(loan.OutAt)}) closed: {DescribeOutcome(outcome)!.ToLowerInvariant()}. {why}", actor, now);
        return loan;
    }

    /// <summary>The classes pupils are in now, as the people import names them (e.g. "4 Ash").</summary>
    public async Task<IReadOnlyList<string>> ClassesAsync(string schoolId, CancellationToken cancellationToken) =>
        await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null && p.ClassName != null && (p.KindMask & s_pupil) != 0)
            .Select(p => p.ClassName!).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);

    /// <summary>Adults at the school who may borrow (staff, supply, students, volunteers …), by name.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> AdultsAsync(string schoolId, CancellationToken cancellationToken) =>
        (await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null && (p.KindMask & s_adults) != 0 && (p.KindMask & s_pupil) == 0)
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).Select(p => new { p.Id, p.GivenName, p.FamilyName }).ToListAsync(cancellationToken))
        .Select(p => (p.Id, $"{p.GivenName} {p.FamilyName}")).ToList();

    public async Task<string?> PersonNameAsync(string schoolId, Guid personId, CancellationToken cancellationToken) =>
        await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.Id == personId).Select(p => p.GivenName + " " + p.FamilyName).FirstOrDefaultAsync(cancellationToken);

    public Task<Device?> DeviceAsync(string schoolId, Guid deviceId, CancellationToken cancellationToken) =>
        db.Set<Device>().AsNoTracking().FirstOrDefaultAsync(d => d.SchoolId == schoolId && d.Id == deviceId, cancellationToken);

    public async Task<LoanRow?> LoanAsync(string schoolId, long loanId, CancellationToken cancellationToken) =>
        (await Rows(schoolId).Where(r => r.Loan.Id == loanId).ToListAsync(cancellationToken)).Select(ToRow).FirstOrDefault();

    /// <summary>Out now, overdue and back today, from the (SchoolId, ReturnedAt, DueAt) index.</summary>
    public async Task<LoanCounts> CountsAsync(string schoolId, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var today = SchoolClock.StartOf(SchoolClock.DateOf(now));
        var loans = db.Set<DeviceLoan>().AsNoTracking().Where(l => l.SchoolId == schoolId);
        return new LoanCounts(
            await loans.CountAsync(l => l.ReturnedAt == null, cancellationToken),
            await loans.CountAsync(l => l.ReturnedAt == null && l.DueAt <= now, cancellationToken),
            await loans.CountAsync(l => l.ReturnedAt >= today, cancellationToken));
    }

    /// <summary>One page of the loan book: by status, words (device, tag, borrower, purpose) and one device, adult or class.</summary>
    public async Task<Paged<LoanRow>> ListAsync(string schoolId, LoanQuery query, CancellationToken cancellationToken)
    {
        var page = PortalHtml.ClampPage(query.Page);
        var rows = Filter(schoolId, query);
        var total = await rows.CountAsync(cancellationToken);
        List<RawRow> items;
        if (query.After is { } after)
        {
            items = await Order(After(rows, query, after), query).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        }
        else if (page == 1)
        {
            items = await Order(rows, query).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        }
        else
        {
            // A deep page picks its loan IDs first and only then reads names and outcomes for those 50: PostgreSQL
            // otherwise works out every skipped row's outcome before the OFFSET (page 990 of 50,000: ~550 ms, bench/devices).
            var ids = await Order(rows, query).Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).Select(r => r.Loan.Id).ToListAsync(cancellationToken);
            items = await Order(rows.Where(r => ids.Contains(r.Loan.Id)), query).ToListAsync(cancellationToken);
        }

        return new Paged<LoanRow>(items.Select(ToRow).ToList(), query.After is null ? page : 1, total);
    }

    /// <summary>
    /// Where the list after <paramref name="last"/> starts, for the API's <c>next</c>: the row's key in the list's order
    /// (due time for what is out, return time for today's returns, else the time it went out) and its ID.
    /// </summary>
    public static LoanCursor CursorAfter(LoanRow last, LoanQuery query) => OrderOf(query) switch
    {
        ListOrder.DueFirst => new LoanCursor(last.Loan.DueAt, last.Loan.Id),
        ListOrder.LatestReturned => new LoanCursor(last.Loan.ReturnedAt ?? last.Loan.OutAt, last.Loan.Id),
        ListOrder.LatestOut => new LoanCursor(last.Loan.OutAt, last.Loan.Id),
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>
    /// The rows after <paramref name="after"/> in the list's order: written "key beyond, or key equal and ID beyond" with
    /// the key's range first, so the database walks its (SchoolId, OutAt, Id) or (SchoolId, ReturnedAt, DueAt) index from the place.
    /// </summary>
    private static IQueryable<RawRow> After(IQueryable<RawRow> rows, LoanQuery query, LoanCursor after)
    {
        var at = after.At;
        var id = after.Id;
        return OrderOf(query) switch
        {
            ListOrder.DueFirst => rows.Where(r => r.Loan.DueAt >= at && (r.Loan.DueAt > at || r.Loan.Id > id)),
            ListOrder.LatestReturned => rows.Where(r => r.Loan.ReturnedAt <= at && (r.Loan.ReturnedAt < at || r.Loan.Id < id)),
            ListOrder.LatestOut => rows.Where(r => r.Loan.OutAt <= at && (r.Loan.OutAt < at || r.Loan.Id < id)),
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }

    /// <summary>Everything the filters find, for the CSV export (at most <see cref="ExportCap"/> rows).</summary>
    public async IAsyncEnumerable<LoanRow> ExportAsync(string schoolId, LoanQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One streamed query: batches by OFFSET re-read every earlier row for each batch, 43 s for 50,000 loans
        // (bench/devices/run.sh).
        await foreach (var item in Order(Filter(schoolId, query), query).Take(ExportCap).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return ToRow(item);
        }
    }

    private async Task<(Guid? PersonId, string? ClassName, string Borrower)> BorrowerAsync(LoanActor actor, NewLoan request, CancellationToken cancellationToken)
    {
        var chosen = (request.Me ? 1 : 0) + (request.BorrowerPersonId is null ? 0 : 1) + (string.IsNullOrWhiteSpace(request.BorrowerClass) ? 0 : 1);
        if (chosen != 1)
        {
            throw new InvalidException(chosen == 0 ? "Choose who is taking the device: a class, yourself or another adult." : "Choose one borrower: a class or an adult, not both.");
        }

        if (!string.IsNullOrWhiteSpace(request.BorrowerClass))
        {
            var wanted = request.BorrowerClass.Trim();
            var classes = await ClassesAsync(actor.SchoolId, cancellationToken);
            var match = classes.FirstOrDefault(c => string.Equals(c, wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidException($"There is no class '{wanted}' at the school; choose one of the classes from the people import.");
            return (null, match, match);
        }

        var personId = request.Me
            ? actor.PersonId ?? throw new InvalidException("Your account is not linked to a person at the school, so it cannot be lent to you: choose a class, or ask the administrator to link your account.")
            : request.BorrowerPersonId!.Value;
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == actor.SchoolId && p.Id == personId, cancellationToken)
            ?? throw new InvalidException("The borrower is not a person at this school.");
        if (person.LeftOn is not null)
        {
            throw new InvalidException($"{person.FullName} has left the school.");
        }

        if ((person.KindMask & s_pupil) != 0)
        {
            throw new InvalidException("Lend to a pupil's class, not to the pupil: the loan book records an adult or a class.");
        }

        return (person.Id, null, person.FullName);
    }

    // Member-initialised (not a constructor) so EF can still filter and order on its members after the projection.
    private sealed class RawRow
    {
        public required DeviceLoan Loan { get; init; }
        public required string DeviceName { get; init; }
        public string? AssetTag { get; init; }
        public string? GivenName { get; init; }
        public string? FamilyName { get; init; }
        public string? Outcome { get; init; }
    }

    private static LoanRow ToRow(RawRow r) =>
        new(r.Loan, r.DeviceName, r.AssetTag, r.GivenName is null ? null : $"{r.GivenName} {r.FamilyName}", r.Outcome);

    private IQueryable<RawRow> Rows(string schoolId) =>
        from l in db.Set<DeviceLoan>().AsNoTracking().Where(l => l.SchoolId == schoolId)
        join d in db.Set<Device>().AsNoTracking() on l.DeviceId equals d.Id
        join p in db.People.AsNoTracking() on l.BorrowerPersonId equals p.Id into people
        from p in people.DefaultIfEmpty()
        select new RawRow
        {
            Loan = l, DeviceName = d.Name, AssetTag = d.AssetTag, GivenName = p == null ? null : p.GivenName, FamilyName = p == null ? null : p.FamilyName,
            // How it closed, when not by a sign-in: the outcome row StageCloseAsync wrote at the loan's closing time.
            Outcome = l.ReturnedAt == null ? null : db.Set<DeviceHistoryEntry>()
                .Where(h => h.SchoolId == schoolId && h.DeviceId == l.DeviceId && h.At == l.ReturnedAt
                    && (h.Action == HistoryWrittenOff || h.Action == HistoryLost || h.Action == HistoryStolen))
                .Select(h => h.Action).FirstOrDefault(),
        };

    private IQueryable<RawRow> Filter(string schoolId, LoanQuery query)
    {
        var now = StoredTime.Now(time);
        var today = SchoolClock.StartOf(SchoolClock.DateOf(now));
        var rows = Rows(schoolId);
        var history = query.DeviceId is not null || query.PersonId is not null || !string.IsNullOrWhiteSpace(query.ClassName);
        // A device's, adult's or class's history shows every loan unless a status is asked for.
        var status = history && string.IsNullOrEmpty(query.Status) ? LoanFilters.All : LoanFilters.Normalise(query.Status);
        rows = status switch
        {
            LoanFilters.Out => rows.Where(r => r.Loan.ReturnedAt == null),
            LoanFilters.Overdue => rows.Where(r => r.Loan.ReturnedAt == null && r.Loan.DueAt <= now),
            LoanFilters.ReturnedToday => rows.Where(r => r.Loan.ReturnedAt >= today),
            _ => rows,
        };
        if (query.DeviceId is { } device)
        {
            rows = rows.Where(r => r.Loan.DeviceId == device);
        }

        if (query.PersonId is { } person)
        {
            rows = rows.Where(r => r.Loan.BorrowerPersonId == person);
        }

        if (!string.IsNullOrWhiteSpace(query.ClassName))
        {
            var c = query.ClassName.Trim();
            rows = rows.Where(r => r.Loan.BorrowerClass == c);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var q = query.Search.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            // The matching devices and adults are found once in their own (small) tables, not once per loan row:
            // 2–3× less work over 50,000 loans (bench/devices/run.sh).
            var devices = db.Set<Device>().Where(d => d.SchoolId == schoolId && (d.Name.ToLower().Contains(q) || (d.AssetTag != null && d.AssetTag.ToLower().Contains(q))))
                .Select(d => d.Id);
            var people = db.People.Where(p => p.SchoolId == schoolId && (p.GivenName.ToLower() + " " + p.FamilyName.ToLower()).Contains(q)).Select(p => (Guid?)p.Id);
            rows = rows.Where(r => devices.Contains(r.Loan.DeviceId)
                || (r.Loan.BorrowerClass != null && r.Loan.BorrowerClass.ToLower().Contains(q))
                || (r.Loan.BorrowerPersonId != null && people.Contains(r.Loan.BorrowerPersonId))
                || r.Loan.Purpose.ToLower().Contains(q));
#pragma warning restore CA1862, CA1311
        }

        return rows;
    }

    private static IQueryable<RawRow> Order(IQueryable<RawRow> rows, LoanQuery query) =>
        OrderOf(query) switch
        {
            ListOrder.DueFirst => rows.OrderBy(r => r.Loan.DueAt).ThenBy(r => r.Loan.Id),
            ListOrder.LatestReturned => rows.OrderByDescending(r => r.Loan.ReturnedAt).ThenByDescending(r => r.Loan.Id),
            ListOrder.LatestOut => rows.OrderByDescending(r => r.Loan.OutAt).ThenByDescending(r => r.Loan.Id),
            _ => throw new System.Diagnostics.UnreachableException(),
        };

    /// <summary>The list's order; ordering and keyset paging (<see cref="After"/>, <see cref="CursorAfter"/>) share it.</summary>
    private static ListOrder OrderOf(LoanQuery query) =>
        LoanFilters.Normalise(query.Status) switch
        {
            // What is out: the most overdue first (the index's order).
            LoanFilters.Out or LoanFilters.Overdue when query.Status is not null || (query.DeviceId is null && query.PersonId is null && string.IsNullOrWhiteSpace(query.ClassName))
                => ListOrder.DueFirst,
            LoanFilters.ReturnedToday => ListOrder.LatestReturned,
            _ => ListOrder.LatestOut,
        };

    private enum ListOrder
    {
        /// <summary>Due time, then ID, ascending: what is out, the most overdue first.</summary>
        DueFirst,

        /// <summary>Return time, then ID, descending: today's returns, latest first.</summary>
        LatestReturned,

        /// <summary>Time out, then ID, descending: everything, the latest first (index V0029).</summary>
        LatestOut,
    }
}
