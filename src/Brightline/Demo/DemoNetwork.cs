using System.Globalization;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// A morning's network for the demo school (issue 13): pupils on pupil-wifi, staff on staff-wifi, class iPads and a
/// visitor, on the VLANs of the example policy's <c>network:</c> section, and a few refused sign-ins with the reasons
/// Brightline gives. Written straight to the tables RADIUS accounting fills, because the demo has no FreeRADIUS.
/// The browser test seeds the same, so the Network page it checks is the one a newcomer sees.
/// </summary>
public static class DemoNetwork
{
    public const string Controller = "10.0.0.2";

    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var now = StoredTime.Now(time);
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null)
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ToListAsync(cancellationToken);
        var pupils = people.Where(p => p.YearGroup is not null).ToList();
        var staff = people.Where(p => p.YearGroup is null && p.JobTitle is not null).ToList();
        var counter = 0;

        string UserName(Person p) => p.Email ?? $"{p.GivenName}.{p.FamilyName}".ToLowerInvariant().Replace("'", "", StringComparison.Ordinal) + "@pupils.example-primary.example.org";

        string Mac(int n) => string.Create(CultureInfo.InvariantCulture, $"3C-22-FB-{(n * 37) % 256:X2}-{(n * 91) % 256:X2}-{(n * 53 + 17) % 256:X2}");

        NetworkSession Session(string userName, Guid? personId, string network, string vlan, string address, double minutesAgo)
        {
            counter++;
            var started = now.AddMinutes(-minutesAgo);
            return new NetworkSession
            {
                Id = Guid.NewGuid(),
                SchoolId = schoolId,
                Nas = Controller,
                NasAddress = Controller,
                NasIdentifier = "example-wlc",
                AcctSessionId = string.Create(CultureInfo.InvariantCulture, $"5F2A{counter:X4}"),
                Network = network,
                UserName = userName,
                PersonId = personId,
                Mac = Mac(counter),
                Address = address,
                Vlan = vlan,
                StartedAt = started,
                UpdatedAt = now.AddMinutes(-Math.Min(minutesAgo, 4 + (counter % 9))),
            };
        }

        var sessions = new List<NetworkSession>();
        // Year 5 and 6 use laptops in lessons; reception to Year 2 land on VLAN 20, Years 3 to 6 on VLAN 21.
        foreach (var (pupil, i) in pupils.Where(p => p.YearGroup is "5" or "6").Take(6).Select((p, i) => (p, i)))
        {
            sessions.Add(Session(UserName(pupil), pupil.Id, "pupil-wifi", "21", $"10.20.21.{31 + i}", 25 + (i * 11)));
        }

        foreach (var (pupil, i) in pupils.Where(p => p.YearGroup is "1" or "2").Take(2).Select((p, i) => (p, i)))
        {
            sessions.Add(Session(UserName(pupil), pupil.Id, "pupil-wifi", "20", $"10.20.20.{14 + i}", 48 + (i * 7)));
        }

        foreach (var (member, i) in staff.Take(4).Select((p, i) => (p, i)))
        {
            sessions.Add(Session(UserName(member), member.Id, "staff-wifi", "30", $"10.30.0.{52 + i}", 95 + (i * 23)));
        }

        // Class iPads sign in with their MAC address (MAC authentication), and a visitor with a voucher.
        for (var i = 0; i < 3; i++)
        {
            var ipad = Session("", null, "class-ipads", "40", $"10.40.0.{21 + i}", 180 + (i * 3));
            ipad.UserName = ipad.Mac!.ToLowerInvariant();
            sessions.Add(ipad);
        }

        sessions.Add(Session("visitor-KQ7M", null, "guest-wifi", "50", "10.50.0.9", 35));
        db.AddRange(sessions);

        var rejects = new List<NetworkReject>();
        void Reject(string userName, Guid? personId, string network, string code, string message, double minutesAgo)
        {
            counter++;
            rejects.Add(new NetworkReject
            {
                Id = Guid.NewGuid(), SchoolId = schoolId, At = now.AddMinutes(-minutesAgo), UserName = userName, PersonId = personId,
                Mac = Mac(counter), Network = network, Code = code, Message = message,
            });
        }

        if (pupils.Count >= 2)
        {
            var pupil = pupils[^1];
            Reject(UserName(pupil), pupil.Id, "class-ipads", "school-devices-only",
                "Network access refused: 'class-ipads' is for school devices only; personal devices and accounts cannot join it.", 14);
            var other = pupils[^2];
            Reject(UserName(other), other.Id, "pupil-wifi", "wrong-password", "Network access refused: the password is not right.", 62);
        }

        if (staff.Count >= 1)
        {
            var member = staff[^1];
            Reject(UserName(member), member.Id, "staff-wifi", "wrong-password", "Network access refused: the password is not right.", 130);
        }

        Reject("jsmith", null, "staff-wifi", "unknown-account", "Network access refused: there is no Brightline account with that user name at this school.", 205);
        Reject("guest-p2xd7k", null, "guest-wifi", "voucher-ended", "Network access refused: this guest voucher has ended; ask the school office for a new one.", 240);
        db.AddRange(rejects);
        await db.SaveChangesAsync(cancellationToken);
    }
}
