using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Loans;
using Brightline.Policies;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// The loan book's demo (C15): a trolley of suite iPads and two laptops tagged <c>LOAN-…</c> (their own tags, so they
/// never clash with the register's demo devices), last week's loans back in the suite, two out now, and one not
/// back from yesterday — overdue, as the end-of-day email and the loan book's count show.
/// </summary>
public static class DemoLoans
{
    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        if (await db.Set<Device>().AnyAsync(d => d.SchoolId == schoolId && d.AssetTag != null && d.AssetTag.StartsWith("LOAN-"), cancellationToken))
        {
            return;
        }

        var policy = await services.GetRequiredService<PolicyStore>().ActiveAsync(schoolId, cancellationToken);
        var now = StoredTime.Now(time);
        var classes = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null && p.ClassName != null && p.YearGroup != null)
            .Select(p => p.ClassName!).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);
        var adult = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null && p.YearGroup == null && p.JobTitle != null)
            .OrderBy(p => p.FamilyName).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (classes.Count == 0)
        {
            return;
        }

        var devices = Enumerable.Range(1, 8).Select(n => new Device
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            AssetTag = $"LOAN-{n:000}",
            Kind = n <= 6 ? DeviceKind.Tablet : DeviceKind.Laptop,
            Model = n <= 6 ? "Apple iPad (10th generation)" : "Lenovo 300e Chromebook",
            Name = n <= 6 ? $"Suite iPad {n}" : $"Suite laptop {n - 6}",
            Ownership = DeviceOwnership.School,
            State = DeviceState.InUse,
            Location = "ICT suite trolley",
            Macs = "",
            CreatedAt = now.AddDays(-30),
            CreatedBy = DemoSeeder.Actor,
            UpdatedAt = now.AddDays(-30),
        }).ToList();
        db.Set<Device>().AddRange(devices);
        foreach (var d in devices)
        {
            db.Set<DeviceHistoryEntry>().Add(new DeviceHistoryEntry { SchoolId = schoolId, DeviceId = d.Id, At = d.CreatedAt, Action = "registered", Detail = "Added to the loan trolley (demo).", Actor = DemoSeeder.Actor });
        }

        var dayEnd = LoanBook.DayEnd(policy);
        DateTimeOffset At(int daysAgo, int hour, int minute) => SchoolClock.FromUk(SchoolClock.DateOf(now).AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, minute)));
        DateTimeOffset EndOf(int daysAgo) => SchoolClock.FromUk(SchoolClock.DateOf(now).AddDays(-daysAgo).ToDateTime(dayEnd));

        void Loan(Device d, string? cls, Guid? person, string purpose, DateTimeOffset outAt, DateTimeOffset due, DateTimeOffset? back)
        {
            db.Set<DeviceLoan>().Add(new DeviceLoan
            {
                SchoolId = schoolId, DeviceId = d.Id, BorrowerClass = cls, BorrowerPersonId = cls is null ? person : null, Purpose = purpose,
                OutAt = outAt, DueAt = due, OutBy = DemoSeeder.Actor, ReturnedAt = back, ReturnedBy = back is null ? null : DemoSeeder.Actor,
                ReturnedToSuite = back is null ? null : true, Charged = back is null ? null : true,
            });
            db.Set<DeviceHistoryEntry>().Add(new DeviceHistoryEntry { SchoolId = schoolId, DeviceId = d.Id, At = outAt, Action = LoanBook.HistoryOut, Detail = $"Signed out to {cls ?? "a member of staff"} for \"{purpose}\" (demo).", Actor = DemoSeeder.Actor });
            if (back is { } b)
            {
                db.Set<DeviceHistoryEntry>().Add(new DeviceHistoryEntry { SchoolId = schoolId, DeviceId = d.Id, At = b, Action = LoanBook.HistoryReturned, Detail = "Signed back in; back in the suite: yes; on charge: yes (demo).", Actor = DemoSeeder.Actor });
            }
            else
            {
                d.State = DeviceState.OnLoan;
            }
        }

        string Class(int i) => classes[i % classes.Count];

        // Last week's lessons, all back in the suite and on charge.
        for (var day = 7; day >= 2; day--)
        {
            for (var i = 0; i < 3; i++)
            {
                Loan(devices[(day + i) % 6], Class(day + i), null, i == 0 ? "Phonics" : i == 1 ? "Reading" : "Research", At(day, 9 + i, 10), EndOf(day), At(day, 11 + i, 5));
            }
        }

        // Out now (due at today's day end) and one not back from yesterday: overdue.
        var dueToday = LoanBook.DefaultDue(policy, now);
        Loan(devices[0], Class(0), null, "Lesson", now.AddHours(-1), dueToday, null);
        Loan(devices[6], adult is null ? Class(2) : null, adult, "Assessment", now.AddHours(-2), dueToday, null);
        Loan(devices[1], Class(1), null, "Club", At(1, 15, 0), EndOf(1).AddHours(1), null);
        await db.SaveChangesAsync(cancellationToken);
    }
}
