using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// A few device requests for the demo school (issue 14, point 2): two waiting for a decision (a pupil's phone asked by a
/// parent, a teacher's USB pen) and one approved, with its register row, history and attestations, so the Requests page
/// and the register show the workflow's results without anyone filing them first.
/// </summary>
public static class DemoDeviceRequests
{
    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var now = StoredTime.Now(time);
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null)
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ToListAsync(cancellationToken);
        var pupils = people.Where(p => p.YearGroup is not null && p.YearGroup != "R").ToList();
        var staff = people.Where(p => p.YearGroup is null && p.JobTitle is not null).ToList();
        if (pupils.Count < 2 || staff.Count < 1)
        {
            return;
        }

        DeviceRequest Request(Person person, string by, string @as, string kind, DeviceKind deviceKind, string description, string reason, string attestations, double daysAgo) => new()
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            PersonId = person.Id,
            RequestedByUserId = "demo",
            RequestedByName = by,
            RequestedAs = @as,
            Kind = kind,
            DeviceKind = deviceKind,
            Description = description,
            Macs = "",
            Reason = reason,
            Attestations = attestations,
            AttestedBy = attestations.Length > 0 ? by : null,
            State = DeviceRequestState.Pending,
            CreatedAt = now.AddDays(-daysAgo),
        };

        var walker = pupils[0];
        var second = pupils[1];
        var teacher = staff[0];
        db.Set<DeviceRequest>().AddRange(
            Request(walker, $"Parent of {walker.GivenName}", "parent", "personal_device", DeviceKind.Phone, "Black phone in a red case",
                "Walks home alone on Tuesdays and Thursdays; the phone stays in the office during the day.", "passcode", 1),
            Request(teacher, teacher.FullName, "self", "removable_media", DeviceKind.RemovableMedia, "32 GB encrypted USB pen",
                "Moving the choir's backing tracks between the hall and the music room.", "encrypted virus_checked", 0.2));

        var approved = Request(second, $"Parent of {second.GivenName}", "parent", "personal_device", DeviceKind.Wearable, "Blue smart watch",
            "Needed for a medical alert (blood sugar monitoring).", "passcode", 20);
        approved.State = DeviceRequestState.Approved;
        approved.DecidedBy = "Headteacher";
        approved.DecidedAt = now.AddDays(-18);
        approved.ExpiresAt = now.AddDays(347);
        var device = new Device
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            Kind = DeviceKind.Wearable,
            Model = "Blue smart watch",
            Name = $"{second.FullName}'s Blue smart watch",
            Ownership = DeviceOwnership.Personal,
            State = DeviceState.InUse,
            PersonId = second.Id,
            Macs = "",
            CreatedAt = now.AddDays(-18),
            CreatedBy = "demo",
            UpdatedAt = now.AddDays(-18),
        };
        approved.DeviceId = device.Id;
        db.Set<Device>().Add(device);
        db.Set<DeviceRequest>().Add(approved);
        db.Set<DeviceHistoryEntry>().Add(new DeviceHistoryEntry
        {
            SchoolId = schoolId, DeviceId = device.Id, At = now.AddDays(-18), Action = "registered",
            Detail = $"Registered from approved request {approved.Id} (personal device)", Actor = "demo",
        });
        db.Set<DeviceAttestation>().Add(new DeviceAttestation
        {
            SchoolId = schoolId, DeviceId = device.Id, Kind = "passcode", Confirmed = true, At = approved.CreatedAt, AttestedBy = approved.RequestedByName,
            Note = $"Given with request {approved.Id}",
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
