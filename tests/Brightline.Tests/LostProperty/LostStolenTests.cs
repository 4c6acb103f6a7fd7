using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.LostProperty;
using Brightline.Network;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.LostProperty;

/// <summary>F7 (Westfield): "loss or theft reported at once to the IT provider + Head/SBM" — on westfield.yaml.</summary>
public sealed class LostStolenTests
{
    private const string School = "westfield";

    private static async Task<T> WithDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    /// <summary>A raw message with its folded header lines joined (a long subject is split over lines).</summary>
    internal static string Unfold(string message) => message.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n ", " ", StringComparison.Ordinal).Replace("\n\t", " ", StringComparison.Ordinal);

    /// <summary>Waits for a message (header lines unfolded); on timeout, says what did arrive.</summary>
    internal static async Task<string> WaitForMailAsync(BrightlineServer server, Func<string, bool> predicate)
    {
        try
        {
            return Unfold(await server.Smtp.WaitForAsync(m => predicate(Unfold(m))));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + string.Join("\n----\n", server.Smtp.Messages().Select(m => Unfold(m)[..Math.Min(1500, Unfold(m).Length)])), e);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task F7_StaffReportsTheirLaptopStolen_StateHistoryIncidentEmailsAndNetworkDisconnect(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westfield.yaml")));

        var (teacherPerson, laptop, session) = await WithDbAsync(server, async db =>
        {
            var now = server.Clock.GetUtcNow();
            var person = new Person
            {
                Id = Guid.NewGuid(), SchoolId = School, ExternalId = "T100", Source = "manual", GivenName = "Tara", FamilyName = "Teach", KindMask = 1 << (int)PersonKind.Staff,
                JoinedOn = new DateOnly(2024, 9, 1), CreatedAt = now, UpdatedAt = now,
            };
            var device = new Device
            {
                Id = Guid.NewGuid(), SchoolId = School, AssetTag = "WF-L-014", Serial = "5CG1234", Kind = DeviceKind.Laptop, Model = "HP ProBook 450", Name = "Tara's staff laptop",
                Ownership = DeviceOwnership.School, State = DeviceState.InUse, PersonId = person.Id, Macs = "aa:bb:cc:dd:ee:01", CreatedAt = now, CreatedBy = "test", UpdatedAt = now,
            };
            var live = new NetworkSession
            {
                Id = Guid.NewGuid(), SchoolId = School, Nas = "ap-1", AcctSessionId = "S-1", UserName = "tara", PersonId = person.Id, Mac = "aa:bb:cc:dd:ee:01",
                StartedAt = now, UpdatedAt = now,
            };
            db.AddRange(person, device, live);
            await db.SaveChangesAsync();
            return (person, device, live);
        });

        await CreateUserAsync(server, "it@westfield.test", "it_provider", schoolId: School);
        await CreateUserAsync(server, "sbm@westfield.test", "business_manager", schoolId: School);
        await CreateUserAsync(server, "head@westfield.test", "head", schoolId: School);
        await CreateUserAsync(server, "tara@westfield.test", "teacher", teacherPerson.Id, School);
        await using (var scope = server.CreateScope())
        {
            // Tara signs the staff agreement first, so the agreement gate (C8) lets her into the portal.
            await scope.ServiceProvider.GetRequiredService<Brightline.Agreements.AgreementService>().SignAsync(
                new Brightline.Agreements.SignRequest(School, teacherPerson.Id, teacherPerson.Id, "staff", "TARA TEACH", "Class teacher", null, true, SignatureMethod.Portal, "127.0.0.1", "test"),
                CancellationToken.None);
        }

        await CreateUserAsync(server, "other@westfield.test", "teacher", schoolId: School);
        await CreateUserAsync(server, "parent@westfield.test", "parent", schoolId: School);
        var path = $"/devices/{laptop.Id}/report-lost";

        // Only the person it is assigned to (or a keeper) may report it; a parent may not report at all.
        var other = server.CreateClient();
        (await LoginAsync(other, "other@westfield.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await other.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var parent = server.CreateClient();
        (await LoginAsync(parent, "parent@westfield.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await parent.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var tara = server.CreateClient();
        (await LoginAsync(tara, "tara@westfield.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, mine) = await GetAsync(tara, "/devices/report-lost");
        mine.QuerySelector("#my-devices")!.TextContent.ShouldContain("Tara's staff laptop");
        var (response, page) = await GetAsync(tara, path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reported = await SubmitAsync(tara, page, path, new Dictionary<string, string> { ["What"] = "stolen", ["Circumstances"] = "Taken from my car outside school on Tuesday evening." });
        reported.StatusCode.ShouldBe(HttpStatusCode.OK);
        var shown = await reported.Content.ReadAsStringAsync();
        shown.ShouldContain("id=\"reported\"");

        var device = await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == laptop.Id));
        device.State.ShouldBe(DeviceState.Stolen);
        var history = await WithDbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == laptop.Id).OrderBy(h => h.Id).ToListAsync());
        history.Select(h => h.Action).ShouldBe(["state.stolen", "notified", "incident.opened", "network.disconnect"]);
        history[0].Actor.ShouldBe("tara@westfield.test");

        // An incident of the lost-device register, about Tara, with the device described (F7).
        var incident = await WithDbAsync(server, db => db.Set<Incident>().AsNoTracking().SingleAsync());
        incident.SchoolId.ShouldBe(School);
        incident.Kind.ShouldBe(IncidentKinds.LostDevice);
        incident.DeviceDescription!.ShouldContain("WF-L-014");
        (await WithDbAsync(server, db => db.Set<IncidentPerson>().AsNoTracking().Select(p => p.PersonId).SingleAsync())).ShouldBe(teacherPerson.Id);

        // At once: the IT provider, the head and the SBM, each naming the school.
        foreach (var to in new[] { "it@westfield.test", "head@westfield.test", "sbm@westfield.test" })
        {
            var mail = await WaitForMailAsync(server, m => m.Contains("reported stolen", StringComparison.Ordinal) && m.Contains(to, StringComparison.Ordinal));
            mail.ShouldContain("Westfield Primary School");
        }

        // The access change for Tara, and the Disconnect-Request for the live session from the laptop's MAC (no NAS address: not sent, audited).
        (await WithDbAsync(server, db => db.AccessChanges.AsNoTracking().CountAsync(c => c.PersonId == teacherPerson.Id && c.Reason == LostStolenService.AccessChangeReason))).ShouldBe(1);
        (await WithDbAsync(server, db => db.AuditEntries.AsNoTracking().CountAsync(e => e.Action == SessionDisconnects.AuditAction))).ShouldBe(1);
        history[3].Detail.ShouldContain("aa:bb:cc:dd:ee:01");
        session.Id.ShouldNotBe(Guid.Empty);

        // Reported once: a stolen device cannot be reported again.
        (response, page) = await GetAsync(tara, path);
        var again = await SubmitAsync(tara, page, path, new Dictionary<string, string> { ["What"] = "lost", ["Circumstances"] = "Again" });
        (await again.Content.ReadAsStringAsync()).ShouldContain("only a device in use");
    }
}
