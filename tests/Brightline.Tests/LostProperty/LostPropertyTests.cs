using System.Net;
using System.Text.RegularExpressions;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.LostProperty;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.LostProperty;

/// <summary>
/// H15 (Westbrook Hay): "unnamed found devices go to the Head of IT, are held in lost property for no longer than one
/// term, then disposed of" — through the portal's forms, on westbrook-hay.yaml with a term calendar added.
/// </summary>
public sealed class LostPropertyTests
{
    private const string School = "westbrook-hay";

    /// <summary>
    /// Westbrook Hay's own file with term dates, which its seed lacks, and its lost-property hold written as H15 says it
    /// ("no longer than one term"), as the file's own comment asks once the school adds its terms.
    /// </summary>
    internal static string WestbrookHayWithTerms()
    {
        var yaml = File.ReadAllText(RepoPaths.Policy("westbrook-hay.yaml"));
        var withTerms = yaml.Replace(
            "    day_ends: \"16:00\"\n",
            "    day_ends: \"16:00\"\n    terms:\n      - { name: Autumn 2026, start: 2026-09-02, end: 2026-12-16 }\n      - { name: Spring 2027, start: 2027-01-05, end: 2027-03-26 }\n",
            StringComparison.Ordinal);
        var oneTerm = Regex.Replace(withTerms, "(?m)^    hold: 84d ", "    hold: 1 term");
        withTerms.ShouldNotBe(yaml, "westbrook-hay.yaml's day_ends line changed; update this test");
        oneTerm.ShouldNotBe(withTerms, "westbrook-hay.yaml's lost_property hold changed; update this test");
        return oneTerm;
    }

    private static async Task<T> WithDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    [Fact]
    public void H15_OneTerm_HoldsToTheEndOfTheTermItWasHandedIn_HolidayCountsFromTheNextTerm_NoTermsFallsBackToDays()
    {
        var rule = new LostPropertyPolicy("computing_lead", 1, 30, ["computing_lead"], "H15");
        var calendar = new AcademicCalendar
        {
            Terms =
            [
                new Term { Name = "Autumn 2026", Start = new(2026, 9, 2), End = new(2026, 12, 16) },
                new Term { Name = "Spring 2027", Start = new(2027, 1, 5), End = new(2027, 3, 26) },
            ],
        };
        HoldPeriod.Compute(rule, calendar, new(2026, 11, 25)).Until.ShouldBe(new DateOnly(2026, 12, 16));
        HoldPeriod.Compute(rule, calendar, new(2026, 12, 20)).Until.ShouldBe(new DateOnly(2027, 3, 26));
        HoldPeriod.Compute(rule with { HoldTerms = 2 }, calendar, new(2026, 11, 25)).Until.ShouldBe(new DateOnly(2027, 3, 26));
        HoldPeriod.Compute(rule, new AcademicCalendar(), new(2026, 11, 25)).Until.ShouldBe(new DateOnly(2026, 12, 25));
        HoldPeriod.Compute(rule with { HoldTerms = null }, calendar, new(2026, 11, 25)).Until.ShouldBe(new DateOnly(2026, 12, 25));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H15_FoundDevice_HandedToHeadOfIt_HeldOneTerm_ListedAndRemindedOnce_DisposedWithWipe(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, WestbrookHayWithTerms());
        await TestSchool.LoadPolicyAsync(server);

        await CreateUserAsync(server, "head-of-it@westbrook.test", "computing_lead", schoolId: School);
        await CreateUserAsync(server, "teacher@westbrook.test", "teacher", schoolId: School);
        var keeper = server.CreateClient();
        (await LoginAsync(keeper, "head-of-it@westbrook.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // A member of staff who is not a keeper cannot open lost property.
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "teacher@westbrook.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await teacher.GetAsync("/devices/found")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Logged: a devices row, ownership unknown, state found, with its first history row.
        var (response, page) = await GetAsync(keeper, "/devices/found/new");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var empty = await SubmitAsync(keeper, page, "/devices/found/new", new Dictionary<string, string> { ["Kind"] = "laptop", ["Description"] = "", ["FoundWhere"] = "Library", ["FoundBy"] = "Mrs Green" });
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await empty.Content.ReadAsStringAsync()).ShouldContain("Describe the device");
        var logged = await SubmitAsync(keeper, page, "/devices/found/new", new Dictionary<string, string>
        {
            ["Kind"] = "laptop", ["Description"] = "Grey Dell laptop, no name", ["Serial"] = "DL-7781", ["FoundWhere"] = "Library", ["FoundOn"] = "2026-11-25", ["FoundBy"] = "Mrs Green",
        });
        logged.ShouldRedirectTo("/devices/found/");
        var detail = logged.Headers.Location!.ToString();
        var device = await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync());
        device.SchoolId.ShouldBe(School);
        device.Ownership.ShouldBe(DeviceOwnership.Unknown);
        device.State.ShouldBe(DeviceState.Found);

        // H15: handed to the Head of IT, who signs with their password; a teacher is not the custodian.
        (response, page) = await GetAsync(keeper, detail);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var notCustodian = await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["CustodianEmail"] = "teacher@westbrook.test", ["CustodianPassword"] = Password }, "#custody");
        (await notCustodian.Content.ReadAsStringAsync()).ShouldContain("does not hold that role");
        var wrong = await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["CustodianEmail"] = "head-of-it@westbrook.test", ["CustodianPassword"] = "guess" }, "#custody");
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("The password is not right");
        (await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["CustodianEmail"] = "head-of-it@westbrook.test", ["CustodianPassword"] = Password }, "#custody"))
            .ShouldRedirectTo(detail);
        var found = await WithDbAsync(server, db => db.Set<FoundDevice>().AsNoTracking().SingleAsync());
        found.CustodianName.ShouldBe("head-of-it@westbrook.test");
        found.HoldUntil.ShouldBe(new DateOnly(2026, 12, 16), "one term on Westbrook Hay's calendar: until the end of Autumn 2026");
        (await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync())).State.ShouldBe(DeviceState.InCustody);
        (_, page) = await GetAsync(keeper, "/devices/found?tab=held");
        page.QuerySelector("#found-devices")!.TextContent.ShouldContain("Grey Dell laptop");
        (_, page) = await GetAsync(keeper, detail);
        page.QuerySelector("#dispose").ShouldBeNull("not disposable while held");

        // School scoping: another school's keeper finds nothing.
        await CreateUserAsync(server, "lead@example.test", "computing_lead");
        var other = server.CreateClient();
        (await LoginAsync(other, "lead@example.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await other.GetAsync(detail)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (_, page) = await GetAsync(other, "/devices/found?tab=held");
        page.QuerySelector("main")!.TextContent.ShouldNotContain("Grey Dell laptop");

        // The hold ends: the worker lists it for disposal and emails the remind role once, naming the school.
        server.Clock.Advance(TimeSpan.FromDays(22));
        var reminder = await LostStolenTests.WaitForMailAsync(server, m => m.Contains("due for disposal", StringComparison.Ordinal) && m.Contains("head-of-it@westbrook.test", StringComparison.Ordinal));
        reminder.ShouldContain("Westbrook Hay");
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<LostPropertyService>().RemindDueAsync(School, CancellationToken.None)).ShouldBe(0, "reminded once");
        }

        (await WithDbAsync(server, db => db.Set<FoundDevice>().AsNoTracking().SingleAsync())).DueNotifiedAt.ShouldNotBeNull();
        keeper = server.CreateClient();
        (await LoginAsync(keeper, "head-of-it@westbrook.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the earlier session has expired after three weeks");
        (_, page) = await GetAsync(keeper, "/devices/found?tab=due");
        page.QuerySelector("#found-devices")!.TextContent.ShouldContain("Grey Dell laptop");

        // Disposal records the wipe; the confirmation is required.
        (response, page) = await GetAsync(keeper, detail);
        page.QuerySelector("#dispose").ShouldNotBeNull();
        var unconfirmed = await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["WipeMethod"] = "Factory reset, disk erased", ["WipedBy"] = "J. Patel" }, "#dispose");
        (await unconfirmed.Content.ReadAsStringAsync()).ShouldContain("Tick the box");
        (await SubmitAsync(keeper, page, detail, new Dictionary<string, string>
        {
            ["WipeMethod"] = "Factory reset, disk erased", ["WipedBy"] = "J. Patel", ["DisposalNote"] = "WEEE recycling", ["Confirm"] = "true",
        }, "#dispose")).ShouldRedirectTo(detail);
        device = await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync());
        device.State.ShouldBe(DeviceState.Disposed);
        found = await WithDbAsync(server, db => db.Set<FoundDevice>().AsNoTracking().SingleAsync());
        found.Outcome.ShouldBe(FoundDeviceOutcome.Disposed);
        found.WipeMethod.ShouldBe("Factory reset, disk erased");
        found.WipedBy.ShouldBe("J. Patel");
        var actions = await WithDbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().OrderBy(h => h.Id).Select(h => h.Action).ToListAsync());
        actions.ShouldBe(["found", "state.in_custody", "listed_for_disposal", "state.disposed"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task H15_ClaimedDevice_HandedBackWithOwnersTypedNameAndWitnessPassword_LeavesTheRegisterAsWithdrawn(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, WestbrookHayWithTerms());
        await CreateUserAsync(server, "bursar@westbrook.test", "business_manager", schoolId: School);
        var keeper = server.CreateClient();
        (await LoginAsync(keeper, "bursar@westbrook.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, page) = await GetAsync(keeper, "/devices/found/new");
        var detail = (await SubmitAsync(keeper, page, "/devices/found/new", new Dictionary<string, string>
        {
            ["Kind"] = "phone", ["Description"] = "Black iPhone, cracked case", ["FoundWhere"] = "Sports hall", ["FoundBy"] = "Caretaker",
        })).Headers.Location!.ToString();

        (_, page) = await GetAsync(keeper, detail);
        var unsigned = await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["OwnerName"] = "Alex Morgan", ["WitnessPassword"] = "nope" }, "#return");
        (await unsigned.Content.ReadAsStringAsync()).ShouldContain("The password is not right");
        (await SubmitAsync(keeper, page, detail, new Dictionary<string, string> { ["OwnerName"] = "Alex Morgan", ["WitnessPassword"] = Password }, "#return"))
            .ShouldRedirectTo(detail);
        var device = await WithDbAsync(server, db => db.Set<Device>().AsNoTracking().SingleAsync());
        device.State.ShouldBe(DeviceState.Withdrawn);
        var found = await WithDbAsync(server, db => db.Set<FoundDevice>().AsNoTracking().SingleAsync());
        found.Outcome.ShouldBe(FoundDeviceOutcome.Returned);
        found.ReturnedTo.ShouldBe("Alex Morgan");
        found.WitnessedBy.ShouldBe("bursar@westbrook.test");
        (await WithDbAsync(server, db => db.Set<DeviceHistoryEntry>().AsNoTracking().OrderByDescending(h => h.Id).Select(h => h.Action).FirstAsync())).ShouldBe("returned_to_owner");
        (_, page) = await GetAsync(keeper, "/devices/found?tab=closed&q=iphone");
        page.QuerySelector("#found-devices")!.TextContent.ShouldContain("Returned to Alex Morgan");
    }
}
