using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Leavers;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.LostProperty;

/// <summary>C19 (St Clement's): "equipment returned on long absence or leaving" — on st-clements.yaml.</summary>
public sealed class LeaversTests
{
    private const string School = "st-clements";

    private static async Task<T> WithDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static Person NewPerson(string id, string given, string family, DateTimeOffset now, DateOnly? left = null) => new()
    {
        Id = Guid.NewGuid(), SchoolId = School, ExternalId = id, Source = "staff", GivenName = given, FamilyName = family, KindMask = 1 << (int)PersonKind.Staff,
        JoinedOn = new DateOnly(2020, 9, 1), LeftOn = left, CreatedAt = now, UpdatedAt = now,
    };

    private static Device NewDevice(string name, DeviceKind kind, DeviceOwnership ownership, DeviceState state, Guid? person, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(), SchoolId = School, Kind = kind, Model = name, Name = name, Ownership = ownership, State = state, PersonId = person, Macs = "",
        CreatedAt = now, CreatedBy = "test", UpdatedAt = now,
    };

    /// <summary>
    /// C19 with C15: a loan written off on a leaver's checklist is closed with that outcome (not left open forever), the
    /// loan book says "Written off", and the device leaves "on loan" as withdrawn — staged by the register.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C19_C15_LoanWrittenOffOnTheChecklist_ClosesTheLoanAsWrittenOff(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
        var now = server.Clock.GetUtcNow();
        var (laptop, loan) = await WithDbAsync(server, async db =>
        {
            var person = NewPerson("S300", "Wendy", "Writeoff", now, new DateOnly(2026, 11, 24));
            var device = NewDevice("Suite laptop 30", DeviceKind.Laptop, DeviceOwnership.School, DeviceState.OnLoan, null, now);
            db.AddRange(person, device);
            await db.SaveChangesAsync();
            var l = new DeviceLoan { SchoolId = School, DeviceId = device.Id, BorrowerPersonId = person.Id, Purpose = "Report writing", OutAt = now.AddDays(-3), DueAt = now.AddDays(-2), OutBy = "test" };
            db.Add(l);
            await db.SaveChangesAsync();
            return (device, l);
        });

        await using (var scope = server.CreateScope())
        {
            var leavers = scope.ServiceProvider.GetRequiredService<LeaversService>();
            (await leavers.OpenForLeaversAsync(School, CancellationToken.None)).ShouldBe(1);
        }

        var checklist = await WithDbAsync(server, db => db.Set<LeaverChecklist>().AsNoTracking().SingleAsync());
        var item = await WithDbAsync(server, db => db.Set<LeaverChecklistItem>().AsNoTracking().SingleAsync());
        item.Kind.ShouldBe(LeaverItemKind.Loan);
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<LeaversService>().CloseItemAsync(
                new LeaversActor(School, "sbm@stclements.test"), checklist.Id, item.Id, "written_off", "Lost by the leaver; invoice sent", CancellationToken.None);
        }

        await using (var scope = server.CreateScope())
        {
            var row = (await scope.ServiceProvider.GetRequiredService<Brightline.Loans.LoanBook>().LoanAsync(School, loan.Id, CancellationToken.None)).ShouldNotBeNull();
            row.IsOut.ShouldBeFalse("C15: a written-off loan is closed");
            row.Loan.ReturnedBy.ShouldBe("sbm@stclements.test");
            row.Outcome.ShouldBe(Brightline.Loans.LoanBook.HistoryWrittenOff);
            row.OutcomeText.ShouldBe("Written off");
        }

        (await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == laptop.Id))).State.ShouldBe(DeviceState.Withdrawn);
        var history = await WithDbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == laptop.Id).OrderBy(h => h.Id).ToListAsync());
        history.Select(h => h.Action).ShouldBe([Brightline.Loans.LoanBook.HistoryWrittenOff, "written_off"]);
        history[1].Detail.ShouldStartWith("On loan → Withdrawn.");
        history[1].Detail.ShouldContain("invoice sent");
        (await WithDbAsync(server, db => db.Set<LeaverChecklist>().AsNoTracking().SingleAsync())).ClosedAt.ShouldNotBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C19_LeaverChecklist_ListsDevicesLoansAndPersonalDevices_ClosedLineByLine_DashboardCounts(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
        var now = server.Clock.GetUtcNow();
        var (leaver, ipad, loanedLaptop, phone, loan, stayer) = await WithDbAsync(server, async db =>
        {
            var person = NewPerson("S200", "Lena", "Leaver", now, new DateOnly(2026, 11, 24));
            var staying = NewPerson("S201", "Stan", "Staying", now);
            var tablet = NewDevice("Class 4 iPad 7", DeviceKind.Tablet, DeviceOwnership.School, DeviceState.InUse, person.Id, now);
            var laptop = NewDevice("Suite laptop 12", DeviceKind.Laptop, DeviceOwnership.School, DeviceState.OnLoan, null, now);
            var personal = NewDevice("Lena's phone", DeviceKind.Phone, DeviceOwnership.Personal, DeviceState.InUse, person.Id, now);
            var unrelated = NewDevice("Stan's laptop", DeviceKind.Laptop, DeviceOwnership.School, DeviceState.InUse, staying.Id, now);
            db.AddRange(person, staying, tablet, laptop, personal, unrelated);
            await db.SaveChangesAsync();
            var l = new DeviceLoan { SchoolId = School, DeviceId = laptop.Id, BorrowerPersonId = person.Id, Purpose = "Report writing", OutAt = now.AddDays(-3), DueAt = now.AddDays(-2), OutBy = "test" };
            db.Add(l);
            await db.SaveChangesAsync();
            return (person, tablet, laptop, personal, l, staying);
        });
        await CreateUserAsync(server, "sbm@stclements.test", "business_manager", schoolId: School);
        var keeper = server.CreateClient();
        (await LoginAsync(keeper, "sbm@stclements.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await keeper.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The people import marked Lena as left: the pass opens one checklist (and only one), and tells the SBM once.
        await using (var scope = server.CreateScope())
        {
            var leavers = scope.ServiceProvider.GetRequiredService<LeaversService>();
            (await leavers.OpenForLeaversAsync(School, CancellationToken.None)).ShouldBe(1);
            (await leavers.OpenForLeaversAsync(School, CancellationToken.None)).ShouldBe(0);
        }

        var mail = await LostStolenTests.WaitForMailAsync(server, m => m.Contains("equipment to collect from Lena Leaver", StringComparison.Ordinal));
        mail.ShouldContain("St Clement");
        var checklist = await WithDbAsync(server, db => db.Set<LeaverChecklist>().AsNoTracking().SingleAsync());
        checklist.PersonId.ShouldBe(leaver.Id);
        checklist.NotifiedAt.ShouldNotBeNull();
        var items = await WithDbAsync(server, db => db.Set<LeaverChecklistItem>().AsNoTracking().OrderBy(i => i.Id).ToListAsync());
        items.Select(i => (i.Kind, i.DeviceId)).ShouldBe([(LeaverItemKind.Loan, loanedLaptop.Id), (LeaverItemKind.SchoolDevice, ipad.Id), (LeaverItemKind.PersonalDevice, phone.Id)]);

        // The dashboard line, and the leavers page.
        var (_, home) = await GetAsync(keeper, "/");
        home.QuerySelector("#dashboard-leavers")!.TextContent.ShouldContain("1 leaver has equipment outstanding");
        var detail = $"/devices/leavers/{checklist.Id}";
        var (response, page) = await GetAsync(keeper, detail);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#items")!.TextContent.ShouldContain("Suite laptop 12");

        // Written off needs a reason; then each line is closed as it comes back.
        var noReason = await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["Item"] = items[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Outcome"] = "written_off" }, $"#close-{items[1].Id}");
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("Say why it is written off");
        foreach (var (item, outcome) in new[] { (items[0], "returned"), (items[1], "returned"), (items[2], "data_removed") })
        {
            (_, page) = await GetAsync(keeper, detail);
            (await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["Item"] = item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Outcome"] = outcome }, $"#close-{item.Id}"))
                .ShouldRedirectTo(detail);
        }

        var devices = await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().ToDictionaryAsync(d => d.Id));
        devices[ipad.Id].State.ShouldBe(DeviceState.InUse);
        devices[ipad.Id].PersonId.ShouldBeNull();
        devices[loanedLaptop.Id].State.ShouldBe(DeviceState.InUse);
        devices[phone.Id].State.ShouldBe(DeviceState.Withdrawn);
        (await WithDbAsync(server, db => db.Set<DeviceLoan>().AsNoTracking().SingleAsync(l => l.Id == loan.Id))).ReturnedAt.ShouldNotBeNull();
        (await WithDbAsync(server, db => db.Set<LeaverChecklist>().AsNoTracking().SingleAsync())).ClosedAt.ShouldNotBeNull();
        (await WithDbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().CountAsync())).ShouldBe(3, "one history row per device change");
        (_, home) = await GetAsync(keeper, "/");
        home.QuerySelector("#dashboard-leavers").ShouldBeNull();

        // C19 long absence: shorter than St Clement's 20 days needs no checklist; a longer one opens one by hand.
        var (_, index) = await GetAsync(keeper, "/devices/leavers");
        var shortAbsence = await SubmitAsync(keeper, index, "/devices/leavers", new Dictionary<string, string>
        {
            ["Person"] = "S201", ["Reason"] = "long_absence", ["StartsOn"] = "2026-12-01", ["EndsOn"] = "2026-12-10",
        }, "#open-checklist");
        (await shortAbsence.Content.ReadAsStringAsync()).ShouldContain("shorter than the policy");
        (await SubmitAsync(keeper, index, "/devices/leavers", new Dictionary<string, string>
        {
            ["Person"] = "Stan Staying", ["Reason"] = "long_absence", ["StartsOn"] = "2026-12-01", ["EndsOn"] = "2027-03-31",
        }, "#open-checklist")).ShouldRedirectTo("/devices/leavers/");
        var absence = await WithDbAsync(server, db => db.Set<LeaverChecklist>().AsNoTracking().SingleAsync(c => c.Reason == LeaverReason.LongAbsence));
        absence.PersonId.ShouldBe(stayer.Id);
        (await WithDbAsync(server, db => db.Set<LeaverChecklistItem>().AsNoTracking().CountAsync(i => i.ChecklistId == absence.Id))).ShouldBe(1);
        (_, index) = await GetAsync(keeper, "/devices/leavers");
        index.QuerySelector("#outstanding")!.TextContent.ShouldContain("1 person has equipment outstanding");

        // School scoping: another school's keeper finds neither checklist.
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "lead@example.test", "computing_lead");
        var other = server.CreateClient();
        (await LoginAsync(other, "lead@example.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await other.GetAsync(detail)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (_, otherIndex) = await GetAsync(other, "/devices/leavers?closed=true");
        otherIndex.QuerySelector("main")!.TextContent.ShouldNotContain("Lena Leaver");
    }
}
