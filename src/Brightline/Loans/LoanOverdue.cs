using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Loans;

/// <summary>
/// The end-of-day overdue list (C15: equipment is returned to the suite at the end of the day). Once a school's day
/// has ended (UK time, on a school day of its calendar), the loans due by then and not back are emailed to the holders
/// of the policy's <c>overdue_notify</c> roles, each loan named at most once a day (<see cref="DeviceLoan.OverdueNotifiedAt"/>).
/// The email and the marks commit together through the outbox, so a crash names nothing twice and loses nothing.
/// </summary>
public sealed class LoanOverdue(BrightlineDbContext db, PolicyStore policies, EmailSender email, PortalLinks links, TimeProvider time)
{
    public const string Purpose = "loan-overdue";

    /// <summary>Runs every school's end-of-day check; returns how many loans were named.</summary>
    public async Task<int> NotifyAsync(CancellationToken cancellationToken)
    {
        var named = 0;
        foreach (var school in await db.Schools.AsNoTracking().Select(s => s.Id).ToListAsync(cancellationToken))
        {
            named += await NotifySchoolAsync(school, cancellationToken);
        }

        return named;
    }

    public async Task<int> NotifySchoolAsync(string schoolId, CancellationToken cancellationToken)
    {
        SchoolPolicy policy;
        try
        {
            policy = await policies.ActiveAsync(schoolId, cancellationToken);
        }
        catch (DomainException)
        {
            return 0; // a school without an active policy has no day end to measure
        }

        var now = StoredTime.Now(time);
        var day = SchoolClock.DateOf(now);
        var dayEnd = SchoolClock.FromUk(day.ToDateTime(LoanBook.DayEnd(policy)));
        if (now < dayEnd || !FilterCompiler.Calendar(policy.School.Calendar).IsSchoolDay(day))
        {
            return 0;
        }

        var startOfDay = SchoolClock.StartOf(day);
        var loans = await db.Set<DeviceLoan>()
            .Where(l => l.SchoolId == schoolId && l.ReturnedAt == null && l.DueAt <= now && (l.OverdueNotifiedAt == null || l.OverdueNotifiedAt < startOfDay))
            .OrderBy(l => l.DueAt).ThenBy(l => l.Id).Take(500).ToListAsync(cancellationToken);
        if (loans.Count == 0)
        {
            return 0;
        }

        var deviceIds = loans.Select(l => l.DeviceId).Distinct().ToList();
        var devices = await db.Set<Device>().AsNoTracking().Where(d => d.SchoolId == schoolId && deviceIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, cancellationToken);
        var personIds = loans.Where(l => l.BorrowerPersonId != null).Select(l => l.BorrowerPersonId!.Value).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && personIds.Contains(p.Id))
            .Select(p => new { p.Id, Name = p.GivenName + " " + p.FamilyName }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);

        var body = new StringBuilder();
        body.Append(policy.School.Name).Append(" — the loan book (C15)\n\n")
            .Append(loans.Count == 1 ? "This device was" : $"These {loans.Count} devices were")
            .Append(" not signed back in by the end of the school day:\n\n");
        foreach (var loan in loans)
        {
            var device = devices.TryGetValue(loan.DeviceId, out var d) ? LoanBook.Label(d) : "A device";
            var borrower = loan.BorrowerClass ?? (loan.BorrowerPersonId is { } p && people.TryGetValue(p, out var n) ? n : "—");
            body.Append("- ").Append(device).Append(" — ").Append(borrower).Append(" — due ").Append(UkFormat.ShortDateTime(loan.DueAt))
                .Append(" (out ").Append(UkFormat.ShortDateTime(loan.OutAt)).Append(")\n");
            loan.OverdueNotifiedAt = now;
        }

        body.Append("\nPlease find them, return them to the suite and put them on charge, then sign them in:\n")
            .Append(links.BaseUrl()).Append("/loans?status=overdue\n\n")
            .Append("Sent by Brightline for ").Append(policy.School.Name).Append(".\n");
        var subject = $"{policy.School.Name}: {UkFormat.Plural(loans.Count, "loaned device", "loaned devices")} not back";
        var told = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in policy.Devices.Loans.OverdueNotify)
        {
            foreach (var (to, personId) in await RoleHolders.EmailsAsync(db, policies, schoolId, role, cancellationToken))
            {
                if (told.Add(to))
                {
                    email.Enqueue(schoolId, to, subject, body.ToString(), Purpose, personId);
                }
            }
        }

        // The marks are saved even when nobody holds the role: the list is on the loan book page either way.
        await db.SaveChangesAsync(cancellationToken);
        return loans.Count;
    }
}
