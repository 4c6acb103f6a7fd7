using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// Lost property and leavers for the demo school (H15, C19): a found laptop held by the custodian, a tablet whose hold
/// has ended (due for disposal), and a member of staff leaving next week with a school iPad still to return. Written
/// as rows with their history, not through the services, so the demo emails nobody.
/// </summary>
internal static class DemoLostProperty
{
    private const string Actor = "demo@brightline.example";

    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var now = StoredTime.Now(time);
        var today = SchoolClock.DateOf(now);
        Found(db, schoolId, now, DeviceKind.Laptop, "Silver MacBook Air, sticker on lid", "Staff room", "Mr Hughes", today.AddDays(30), dueNotified: false);
        Found(db, schoolId, now.AddDays(-100), DeviceKind.Tablet, "Blue Amazon Fire tablet, no case", "Playground bench", "Lunchtime supervisor", today.AddDays(-2), dueNotified: true);

        var staffBit = 1 << (int)PersonKind.Staff;
        var leaver = await db.People.Where(p => p.SchoolId == schoolId && p.LeftOn == null && (p.KindMask & staffBit) != 0)
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).FirstOrDefaultAsync(cancellationToken);
        if (leaver is not null)
        {
            var ipad = Device(schoolId, now, DeviceKind.Tablet, "Apple iPad (10th generation)", "Staff iPad 4", DeviceOwnership.School, DeviceState.InUse, leaver.Id);
            ipad.AssetTag = "DEMO-IPAD-4";
            db.Add(ipad);
            History(db, ipad, "registered", $"Registered and assigned to {leaver.FullName}.", now.AddDays(-200));
            var checklist = new LeaverChecklist
            {
                Id = Guid.NewGuid(), SchoolId = schoolId, PersonId = leaver.Id, Reason = LeaverReason.Leaving, StartsOn = today.AddDays(7),
                OpenedAt = now, OpenedBy = Actor, NotifiedAt = now,
            };
            db.Add(checklist);
            db.Add(new LeaverChecklistItem { SchoolId = schoolId, ChecklistId = checklist.Id, Kind = LeaverItemKind.SchoolDevice, DeviceId = ipad.Id, Description = "Staff iPad 4 (DEMO-IPAD-4)" });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Found(BrightlineDbContext db, string schoolId, DateTimeOffset at, DeviceKind kind, string description, string where, string by, DateOnly holdUntil, bool dueNotified)
    {
        var device = Device(schoolId, at, kind, description, $"Found: {description}", DeviceOwnership.Unknown, DeviceState.InCustody, null);
        device.Location = where;
        db.Add(device);
        db.Add(new FoundDevice
        {
            Id = device.Id, SchoolId = schoolId, FoundAt = at, FoundWhere = where, FoundBy = by, LoggedBy = Actor, LoggedAt = at,
            CustodianName = "Head of IT (demo)", CustodianAt = at, HoldUntil = holdUntil, HoldRule = "demo hold",
            DueNotifiedAt = dueNotified ? at.AddDays(99) : null,
        });
        History(db, device, "found", $"Found at {where} by {by}; logged as lost property.", at);
        History(db, device, "state.in_custody", $"Handed to the Head of IT (demo), signed with their password; held to {UkFormat.Short(holdUntil)}.", at);
        if (dueNotified)
        {
            History(db, device, "listed_for_disposal", $"The hold ended on {UkFormat.Short(holdUntil)}; listed for disposal.", at.AddDays(99));
        }
    }

    private static Device Device(string schoolId, DateTimeOffset at, DeviceKind kind, string model, string name, DeviceOwnership ownership, DeviceState state, Guid? person) => new()
    {
        Id = Guid.NewGuid(), SchoolId = schoolId, Kind = kind, Model = model, Name = name, Ownership = ownership, State = state, PersonId = person, Macs = "",
        CreatedAt = at, CreatedBy = Actor, UpdatedAt = at,
    };

    private static void History(BrightlineDbContext db, Device device, string action, string detail, DateTimeOffset at) =>
        db.Add(new DeviceHistoryEntry { SchoolId = device.SchoolId, DeviceId = device.Id, At = at, Action = action, Detail = detail, Actor = Actor });
}
