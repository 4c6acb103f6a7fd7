using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Loans;
using Brightline.People;
using Brightline.Policy;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Loans;

/// <summary>
/// The loan book (issue 14 point 3; C15 St Clement's: "mobile equipment signed out and in — date, adult or class,
/// purpose — returned to the suite and charged at the end of the day"), on St Clement's own policy file.
/// The server's clock starts on Wednesday 25 November 2026 at 10:00 UK time; St Clement's day ends at 15:15.
/// </summary>
public sealed class LoanBookTests
{
    public const string School = "st-clements";
    private static readonly DateTimeOffset s_dayEnd = new(2026, 11, 25, 15, 15, 0, TimeSpan.Zero);

    /// <summary>St Clement's, with the test pupils (classes 3 Oak, 1 Ash, R Oak, 5 Ash) and staff (Priya Patel, computing lead, teaches 3 Oak).</summary>
    internal static async Task<BrightlineServer> StartStClementsAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
            await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv, schoolId: School);
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv, schoolId: School);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a device straight to the register's table (the register's own service is another helper's).</summary>
    internal static async Task<Device> AddDeviceAsync(BrightlineServer server, string tag, string name, DeviceState state = DeviceState.InUse,
        DeviceOwnership ownership = DeviceOwnership.School, string school = School)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var device = new Device
        {
            Id = Guid.NewGuid(), SchoolId = school, AssetTag = tag, Kind = DeviceKind.Tablet, Model = "Apple iPad", Name = name,
            Ownership = ownership, State = state, Macs = "", CreatedAt = server.Clock.GetUtcNow(), CreatedBy = "test", UpdatedAt = server.Clock.GetUtcNow(),
        };
        db.Set<Device>().Add(device);
        await db.SaveChangesAsync();
        return device;
    }

    private static async Task<T> WithAsync<T>(BrightlineServer server, Func<LoanBook, BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<LoanBook>(), scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    /// <summary>The decoded body of a captured message (the raw text while a message is still being written).</summary>
    private static string Decode(string message) =>
        message.Replace("\r\n", "\n", StringComparison.Ordinal).Contains("\n\n", StringComparison.Ordinal) ? Agreements.CountersignTests.DecodeBody(message) : message;

    private static LoanActor Actor(Guid? person = null, string school = School) => new(school, "teacher@school.test", person);

    /// <summary>
    /// C15 with F7: a device reported lost (or stolen) while on loan closes its loan with that outcome — not left out
    /// forever, not counted as out or overdue — and the loan book shows how it closed (list row, CSV, API word).
    /// The register moved the device (on loan → lost) with the loan's own history names around it.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_DeviceReportedLostWhileOnLoan_ClosesTheLoanAsLost_ShownInTheLoanHistory(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        var ipad = await AddDeviceAsync(server, "LOAN-050", "Suite iPad 50");
        var loan = await WithAsync(server, (book, _) => book.SignOutAsync(Actor(), new NewLoan("LOAN-050", null, "3 Oak", false, "Phonics", null), CancellationToken.None));
        server.Clock.Advance(TimeSpan.FromHours(1));
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Brightline.LostProperty.LostStolenService>().ReportAsync(
                new Brightline.LostProperty.LostPropertyActor(School, "u-1", "teacher@school.test"), true, ipad.Id, false, "Left on the coach after the trip", CancellationToken.None);
        }

        var row = (await WithAsync(server, (book, _) => book.LoanAsync(School, loan.Id, CancellationToken.None))).ShouldNotBeNull();
        row.IsOut.ShouldBeFalse("C15: the loan is closed, not left open forever");
        row.Loan.ReturnedAt.ShouldBe(server.Clock.GetUtcNow());
        row.Loan.ReturnedBy.ShouldBe("teacher@school.test");
        row.Outcome.ShouldBe(LoanBook.HistoryLost);
        row.OutcomeText.ShouldBe("Reported lost");
        LoanCsvRows.Line(row).ShouldContain("Reported lost");
        (await WithAsync(server, (book, _) => book.CountsAsync(School, CancellationToken.None))).Out.ShouldBe(0);
        var history = (await WithAsync(server, (book, _) => book.ListAsync(School, new LoanQuery(null, null, ipad.Id, null, null, 1), CancellationToken.None))).Items.ShouldHaveSingleItem();
        history.OutcomeText.ShouldBe("Reported lost");

        var (state, actions) = await WithAsync(server, async (_, db) => (
            (await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == ipad.Id)).State,
            await db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == ipad.Id).OrderBy(h => h.Id).Select(h => h.Action).ToListAsync()));
        state.ShouldBe(DeviceState.Lost);
        actions.Take(3).ShouldBe([LoanBook.HistoryOut, LoanBook.HistoryLost, "state.lost"]);
        // Nothing to sign back in: the loan says how it closed.
        var again = await Should.ThrowAsync<ConflictException>(() => WithAsync(server, (book, _) => book.ReturnAsync(Actor(), loan.Id, new LoanReturn(true, true), CancellationToken.None)));
        again.Message.ShouldContain("reported lost");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_SignOutToAClass_DueAtTheCalendarDayEnd_SignInWithSuiteAndChargeTicks_DeviceHistoryWritten(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        var ipad = await AddDeviceAsync(server, "LOAN-001", "Suite iPad 1");

        // Typed in lower case at the kiosk: the tag and the class are found ignoring case.
        var loan = await WithAsync(server, (book, _) => book.SignOutAsync(Actor(), new NewLoan(" loan-001 ", null, "3 oak", false, "Phonics", null), CancellationToken.None));
        loan.BorrowerClass.ShouldBe("3 Oak");
        loan.DueAt.ShouldBe(s_dayEnd, "C15: due back at St Clement's calendar day end (15:15)");
        loan.OutAt.ShouldBe(server.Clock.GetUtcNow());
        var (state, history) = await WithAsync(server, async (_, db) => (
            (await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == ipad.Id)).State,
            await db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == ipad.Id).OrderBy(h => h.Id).ToListAsync()));
        state.ShouldBe(DeviceState.OnLoan);
        history.ShouldHaveSingleItem().Action.ShouldBe(LoanBook.HistoryOut);
        history[0].Detail.ShouldContain("3 Oak");

        server.Clock.Advance(TimeSpan.FromHours(2));
        var back = await WithAsync(server, (book, _) => book.ReturnAsync(Actor(), loan.Id, new LoanReturn(ReturnedToSuite: true, Charged: false), CancellationToken.None));
        back.ReturnedAt.ShouldBe(server.Clock.GetUtcNow());
        back.ReturnedBy.ShouldBe("teacher@school.test");
        back.ReturnedToSuite.ShouldBe(true);
        back.Charged.ShouldBe(false, "C15: St Clement's asks whether it went on charge; a 'no' is recorded, not refused");
        (state, history) = await WithAsync(server, async (_, db) => (
            (await db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == ipad.Id)).State,
            await db.Set<DeviceHistoryEntry>().AsNoTracking().Where(h => h.DeviceId == ipad.Id).OrderBy(h => h.Id).ToListAsync()));
        state.ShouldBe(DeviceState.InUse);
        history.Select(h => h.Action).ShouldBe([LoanBook.HistoryOut, LoanBook.HistoryReturned]);

        var again = await Should.ThrowAsync<ConflictException>(() => WithAsync(server, (book, _) => book.ReturnAsync(Actor(), loan.Id, new LoanReturn(true, true), CancellationToken.None)));
        again.Message.ShouldContain("already signed back in");

        // To an adult: Priya Patel, by "me" (her account is linked to her person record), due at a chosen time.
        var priya = await TestSchool.PersonAsync(server, "S01");
        var chosen = server.Clock.GetUtcNow().AddHours(1);
        var mine = await WithAsync(server, (book, _) => book.SignOutAsync(Actor(priya.Id), new NewLoan("LOAN-001", null, null, true, "Assessment", chosen), CancellationToken.None));
        mine.BorrowerPersonId.ShouldBe(priya.Id);
        mine.DueAt.ShouldBe(chosen);
        var row = await WithAsync(server, (book, _) => book.LoanAsync(School, mine.Id, CancellationToken.None));
        row!.Borrower.ShouldBe("Priya Patel");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_SignOut_IsRefusedWithTheReason_AndNothingIsStored(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        await AddDeviceAsync(server, "LOAN-001", "Suite iPad 1");
        await AddDeviceAsync(server, "LOAN-002", "Suite iPad 2", DeviceState.InRepair);
        await AddDeviceAsync(server, "LOAN-003", "Suite iPad 3", DeviceState.Stolen);
        await AddDeviceAsync(server, "LOAN-004", "Suite iPad 4", DeviceState.Disposed);
        await AddDeviceAsync(server, "PHONE-1", "Mrs Patel's phone", ownership: DeviceOwnership.Personal);
        var amelia = await TestSchool.PersonAsync(server, "A001");

        async Task<T> Refused<T>(NewLoan request, Guid? me = null) where T : DomainException =>
            await Should.ThrowAsync<T>(() => WithAsync(server, (book, _) => book.SignOutAsync(Actor(me), request, CancellationToken.None)));

        await WithAsync(server, (book, _) => book.SignOutAsync(Actor(), new NewLoan("LOAN-001", null, "3 Oak", false, "Reading", null), CancellationToken.None));

        // Already on loan: says to whom and since when.
        (await Refused<ConflictException>(new NewLoan("LOAN-001", null, "5 Ash", false, "Lesson", null))).Message
            .ShouldBe("Suite iPad 1 (LOAN-001) is already on loan to 3 Oak since 25/11/2026 10:00 (due back 25/11/2026 15:15). Sign it back in first.");
        (await Refused<ConflictException>(new NewLoan("LOAN-002", null, "5 Ash", false, "Lesson", null))).Message.ShouldContain("is in repair");
        (await Refused<ConflictException>(new NewLoan("LOAN-003", null, "5 Ash", false, "Lesson", null))).Message.ShouldContain("reported stolen");
        (await Refused<ConflictException>(new NewLoan("LOAN-004", null, "5 Ash", false, "Lesson", null))).Message.ShouldContain("disposed of");
        (await Refused<ConflictException>(new NewLoan("PHONE-1", null, "5 Ash", false, "Lesson", null))).Message.ShouldContain("personal device");
        (await Refused<InvalidException>(new NewLoan("NOPE-9", null, "5 Ash", false, "Lesson", null))).Message.ShouldContain("No device at the school has the asset tag 'NOPE-9'");
        (await Refused<InvalidException>(new NewLoan("", null, "5 Ash", false, "Lesson", null))).Message.ShouldContain("asset tag");

        await AddDeviceAsync(server, "LOAN-005", "Suite iPad 5");
        (await Refused<InvalidException>(new NewLoan("LOAN-005", null, "5 Ash", false, "  ", null))).Message.ShouldContain("what the device is for");
        (await Refused<InvalidException>(new NewLoan("LOAN-005", null, null, false, "Lesson", null))).Message.ShouldContain("Choose who is taking");
        (await Refused<InvalidException>(new NewLoan("LOAN-005", amelia.Id, "5 Ash", false, "Lesson", null))).Message.ShouldContain("Choose one borrower");
        (await Refused<InvalidException>(new NewLoan("LOAN-005", null, "9 Elm", false, "Lesson", null))).Message.ShouldContain("no class '9 Elm'");
        (await Refused<InvalidException>(new NewLoan("LOAN-005", amelia.Id, null, false, "Lesson", null))).Message.ShouldContain("not to the pupil");
        (await Refused<InvalidException>(new NewLoan("LOAN-005", null, null, true, "Lesson", null))).Message.ShouldContain("not linked to a person");
        (await Refused<InvalidException>(new NewLoan("LOAN-005", null, "5 Ash", false, "Lesson", server.Clock.GetUtcNow().AddMinutes(-5)))).Message.ShouldContain("in the past");

        var (loans, states) = await WithAsync(server, async (_, db) => (await db.Set<DeviceLoan>().CountAsync(),
            await db.Set<Device>().Where(d => d.AssetTag == "LOAN-005").Select(d => d.State).SingleAsync()));
        loans.ShouldBe(1, "only the first sign-out was stored");
        states.ShouldBe(DeviceState.InUse);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_LoansAreOneSchools_AnotherSchoolCannotFindSignInOrListThem(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        await TestSchool.LoadOtherSchoolAsync(server);
        await TestSchool.ImportAsync(server, ImportKind.Pupils, TestSchool.PupilsCsv, schoolId: TestSchool.OtherId);
        await AddDeviceAsync(server, "LOAN-001", "Suite iPad 1");
        var loan = await WithAsync(server, (book, _) => book.SignOutAsync(Actor(), new NewLoan("LOAN-001", null, "3 Oak", false, "Reading", null), CancellationToken.None));

        var other = Actor(school: TestSchool.OtherId);
        (await Should.ThrowAsync<InvalidException>(() => WithAsync(server, (book, _) => book.SignOutAsync(other, new NewLoan("LOAN-001", null, "3 Oak", false, "Reading", null), CancellationToken.None))))
            .Message.ShouldContain("No device at the school");
        await Should.ThrowAsync<NotFoundException>(() => WithAsync(server, (book, _) => book.ReturnAsync(other, loan.Id, new LoanReturn(true, true), CancellationToken.None)));
        (await WithAsync(server, (book, _) => book.ListAsync(TestSchool.OtherId, new LoanQuery(LoanFilters.All, null, null, null, null, 1), CancellationToken.None))).Total.ShouldBe(0);
        (await WithAsync(server, (book, _) => book.ListAsync(School, new LoanQuery(LoanFilters.All, null, null, null, null, 1), CancellationToken.None))).Total.ShouldBe(1);
    }

    /// <summary>The default due time is each seed school's calendar day end (or its loans day end), and the overdue list goes to someone.</summary>
    [Theory]
    [InlineData("westfield.yaml")]
    [InlineData("omnicom-primary.yaml")]
    [InlineData("westbrook-hay.yaml")]
    [InlineData("wetherby.yaml")]
    [InlineData("st-clements.yaml")]
    public void C15_DefaultDue_IsTheSchoolsDayEnd_NextWeekdayOnceTheDayHasEnded(string file)
    {
        var policy = PolicyLoader.LoadValid(File.ReadAllText(RepoPaths.Policy(file)), file);
        var end = policy.Devices.Loans.DayEnd ?? policy.School.Calendar.DayEnds;
        LoanBook.DayEnd(policy).ShouldBe(end);
        policy.Devices.Loans.OverdueNotify.ShouldNotBeEmpty();
        // Wednesday 25/11/2026 at 10:00: today's day end. Friday after school: Monday's.
        LoanBook.DefaultDue(policy, new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero)).ShouldBe(SchoolClock.FromUk(new DateTime(2026, 11, 25).Add(end.ToTimeSpan())));
        LoanBook.DefaultDue(policy, SchoolClock.FromUk(new DateTime(2026, 11, 27, 18, 0, 0))).ShouldBe(SchoolClock.FromUk(new DateTime(2026, 11, 30).Add(end.ToTimeSpan())));
        if (file == "st-clements.yaml")
        {
            end.ShouldBe(new TimeOnly(15, 15), "C15: St Clement's day ends at 15:15");
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_OverdueAtTheEndOfTheDay_EmailsTheComputingLead_OncePerLoanPerDay_SayingWhichSchool(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        await AddDeviceAsync(server, "LOAN-001", "Suite iPad 1");
        await AddDeviceAsync(server, "LOAN-002", "Suite iPad 2");
        var priya = await TestSchool.PersonAsync(server, "S01");
        var late = await WithAsync(server, (book, _) => book.SignOutAsync(Actor(), new NewLoan("LOAN-001", null, "3 Oak", false, "Phonics", null), CancellationToken.None));
        var backInTime = await WithAsync(server, (book, _) => book.SignOutAsync(Actor(priya.Id), new NewLoan("LOAN-002", null, null, true, "Reading", null), CancellationToken.None));
        await WithAsync(server, (book, _) => book.ReturnAsync(Actor(), backInTime.Id, new LoanReturn(true, true), CancellationToken.None));

        // Before the day ends nothing is sent, even for a loan already due.
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<LoanOverdue>().NotifyAsync(CancellationToken.None)).ShouldBe(0);
        }

        // 15:20: the worker (on the injected clock) sends the list to the computing lead (Priya Patel, from the staff import).
        server.Clock.Advance(new TimeSpan(5, 20, 0));
        var raw = await server.Smtp.WaitForAsync(m => m.Contains("priya.patel@school.test", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var mail = Decode(raw);
        mail.ShouldContain("St Clement's");
        mail.ShouldContain("LOAN-001");
        mail.ShouldContain("3 Oak");
        mail.ShouldContain("25/11/2026 15:15");
        mail.ShouldNotContain("LOAN-002", customMessage: "the loan signed back in is not listed");
        (await WithAsync(server, (_, db) => db.Set<DeviceLoan>().AsNoTracking().Where(l => l.Id == late.Id).Select(l => l.OverdueNotifiedAt).SingleAsync())).ShouldNotBeNull();

        // Once a day: another pass the same evening names nobody.
        await using (var scope = server.CreateScope())
        {
            (await scope.ServiceProvider.GetRequiredService<LoanOverdue>().NotifyAsync(CancellationToken.None)).ShouldBe(0);
        }

        server.Smtp.Messages().Count(m => Decode(m).Contains("LOAN-001", StringComparison.Ordinal)).ShouldBe(1);

        // Still out the next school day: named again, once, after that day's end.
        server.Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 300 && server.Smtp.Messages().Count(m => Decode(m).Contains("LOAN-001", StringComparison.Ordinal)) < 2; i++)
        {
            await Task.Delay(100);
        }

        server.Smtp.Messages().Count(m => Decode(m).Contains("LOAN-001", StringComparison.Ordinal)).ShouldBe(2);
    }

    /// <summary>
    /// C15, the API's long lists: after= (the previous answer's next) walks the whole book in the same order as page=,
    /// loans out at the same moment included, with no row twice or missed; for what is out (due order) too. A cursor the
    /// API did not give, or page= with after=, is a 400 naming the field.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_Api_AfterCursorWalksTheBookAsPageDoes_TiesIncluded(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        var ipad = await AddDeviceAsync(server, "LOAN-001", "Suite iPad 1");
        await WithAsync(server, async (_, db) =>
        {
            // 130 loans, three to a moment (a class set signed out together), every third still out.
            var start = new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 130; i++)
            {
                var outAt = start.AddMinutes(i / 3 * 10);
                db.Set<DeviceLoan>().Add(new DeviceLoan
                {
                    SchoolId = School, DeviceId = ipad.Id, BorrowerClass = "4 Ash", Purpose = $"Lesson {i}", OutAt = outAt, DueAt = outAt.AddHours(i % 2 == 0 ? 2 : 1),
                    OutBy = "teacher@school.test", ReturnedAt = i % 3 == 0 ? null : outAt.AddHours(1), ReturnedBy = i % 3 == 0 ? null : "teacher@school.test",
                });
            }

            return await db.SaveChangesAsync();
        });
        var api = server.CreateApiClient();

        async Task<List<long>> WalkAsync(string filter, bool cursor)
        {
            var ids = new List<long>();
            string? next = null;
            for (var page = 1; page < 10; page++)
            {
                var path = $"/api/v1/loans?school={School}{filter}" + (cursor ? (next is null ? "" : "&after=" + Uri.EscapeDataString(next)) : $"&page={page}");
                var body = JsonDocument.Parse(await api.GetStringAsync(path)).RootElement;
                body.GetProperty("total").GetInt32().ShouldBeGreaterThan(0);
                var loans = body.GetProperty("loans").EnumerateArray().Select(l => l.GetProperty("id").GetInt64()).ToList();
                ids.AddRange(loans);
                next = body.GetProperty("next").GetString();
                if (loans.Count < Brightline.Portal.PortalHtml.PageSize || (cursor && next is null))
                {
                    break;
                }
            }

            return ids;
        }

        var byPage = await WalkAsync("&status=all", cursor: false);
        byPage.Count.ShouldBe(130);
        var byCursor = await WalkAsync("&status=all", cursor: true);
        byCursor.ShouldBe(byPage);
        (await WalkAsync("&status=out", cursor: true)).ShouldBe(await WalkAsync("&status=out", cursor: false));
        (await WalkAsync("&status=out", cursor: true)).Count.ShouldBe(44);

        var first = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/loans?school={School}&status=all")).RootElement;
        first.GetProperty("next").GetString().ShouldNotBeNull();
        var bad = await api.GetAsync($"/api/v1/loans?school={School}&after=yesterday");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString().ShouldBe("after");
        var both = await api.GetAsync($"/api/v1/loans?school={School}&page=2&after={Uri.EscapeDataString(first.GetProperty("next").GetString()!)}");
        both.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_Api_SignsOutListsAndSignsIn_WithProblemDetailsForBadInput(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        await AddDeviceAsync(server, "LOAN-001", "Suite iPad 1");
        await AddDeviceAsync(server, "PHONE-1", "A personal phone", ownership: DeviceOwnership.Personal);
        var api = server.CreateApiClient();
        const string Loans = "/api/v1/loans?school=" + School;

        async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, object body)
        {
            var response = await api.PostAsJsonAsync(path, body);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }

        var (status, problem) = await Post(Loans, new { assetTag = "NOPE", borrowerClass = "3 Oak", purpose = "Lesson" });
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString()!.ShouldContain("No device at the school has the asset tag 'NOPE'");
        (status, problem) = await Post(Loans, new { assetTag = "PHONE-1", borrowerClass = "3 Oak", purpose = "Lesson" });
        status.ShouldBe(HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("personal device");
        (status, problem) = await Post(Loans, new { assetTag = "LOAN-001", borrowerClass = "3 Oak", purpose = "Lesson", dueAt = "2026-11-25T09:00:00Z" });
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("detail").GetString()!.ShouldContain("in the past");

        var (created, loan) = await Post(Loans, new { assetTag = "LOAN-001", borrowerClass = "3 Oak", purpose = "Lesson" });
        created.ShouldBe(HttpStatusCode.Created);
        loan.GetProperty("borrower").GetString().ShouldBe("3 Oak");
        loan.GetProperty("device").GetString().ShouldBe("Suite iPad 1");
        loan.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(s_dayEnd);
        var id = loan.GetProperty("id").GetInt64();

        var list = JsonDocument.Parse(await api.GetStringAsync(Loans + "&status=overdue")).RootElement;
        list.GetProperty("total").GetInt32().ShouldBe(0);
        list = JsonDocument.Parse(await api.GetStringAsync(Loans + "&q=suite")).RootElement;
        list.GetProperty("total").GetInt32().ShouldBe(1);

        var (returned, back) = await Post($"/api/v1/loans/{id}/return?school={School}", new { returnedToSuite = true, charged = true });
        returned.ShouldBe(HttpStatusCode.OK);
        back.GetProperty("charged").GetBoolean().ShouldBeTrue();
        (status, _) = await Post($"/api/v1/loans/{id}/return?school={School}", new { returnedToSuite = true, charged = true });
        status.ShouldBe(HttpStatusCode.Conflict);
        (status, _) = await Post($"/api/v1/loans/999999/return?school={School}", new { returnedToSuite = true });
        status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C15_Kiosk_SignsOutInThreeChoicesAndBackIn_TheirClassFirst_ListPagesSearchesAndExports(DatabaseProvider provider)
    {
        await using var server = await StartStClementsAsync(provider);
        var ipad = await AddDeviceAsync(server, "LOAN-001", "Suite iPad 1");
        var priya = await TestSchool.PersonAsync(server, "S01");
        // She has signed St Clement's staff agreement (C1: before a login), so the portal lets her in.
        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Brightline.Agreements.AgreementService>().SignAsync(
                new Brightline.Agreements.SignRequest(School, priya.Id, priya.Id, "staff", "PRIYA PATEL", "Computing Lead", null, true, SignatureMethod.Portal, "127.0.0.1", "test"),
                CancellationToken.None);
        }

        await CreateUserAsync(server, "priya.patel@school.test", "teacher", priya.Id, School);
        var teacher = server.CreateClient();
        (await LoginAsync(teacher, "priya.patel@school.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (response, page) = await GetAsync(teacher, "/loans/kiosk");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, response.Headers.Location?.ToString());
        page.QuerySelector("#Tag")!.HasAttribute("autofocus").ShouldBeTrue();

        (response, page) = await GetAsync(teacher, "/loans/kiosk?Tag=loan-001");
        var choices = page.QuerySelectorAll("input[name=Borrower]").Select(i => i.GetAttribute("value")).ToList();
        choices[0].ShouldBe("class:3 Oak", "her own class first");
        choices.ShouldContain("me");
        page.Body!.TextContent.ShouldContain("25/11/2026 15:15");
        var signedOut = await SubmitAsync(teacher, page, "/loans/kiosk", new Dictionary<string, string> { ["Borrower"] = "class:3 Oak", ["Purpose"] = "Reading" });
        signedOut.ShouldRedirectTo("/loans/kiosk?done=out");
        (_, page) = await GetAsync(teacher, signedOut.Headers.Location!.ToString());
        page.QuerySelector("#kiosk-done")!.TextContent.ShouldContain("Suite iPad 1 (LOAN-001) to 3 Oak");

        // The same tag again offers it back in, with St Clement's two ticks.
        (_, page) = await GetAsync(teacher, "/loans/kiosk?Tag=LOAN-001");
        page.QuerySelector("#kiosk-open")!.TextContent.ShouldContain("3 Oak");
        page.QuerySelector("input[name=ReturnedToSuite]").ShouldNotBeNull();
        page.QuerySelector("input[name=Charged]").ShouldNotBeNull();
        var signedIn = await SubmitAsync(teacher, page, "/loans/kiosk", new Dictionary<string, string> { ["ReturnedToSuite"] = "true" });
        signedIn.ShouldRedirectTo("/loans/kiosk?done=in");
        var loan = await WithAsync(server, (_, db) => db.Set<DeviceLoan>().AsNoTracking().SingleAsync());
        loan.ReturnedToSuite.ShouldBe(true);
        loan.Charged.ShouldBe(false);

        // A refusal is shown on the page, not a crash.
        await AddDeviceAsync(server, "LOAN-002", "Suite iPad 2", DeviceState.Lost);
        (_, page) = await GetAsync(teacher, "/loans/kiosk?Tag=LOAN-002");
        page.QuerySelector("#kiosk-unavailable")!.TextContent.ShouldContain("reported lost");

        // 120 loans of 3 Oak and 5 Ash: the list pages by 50, searches and exports them all.
        await WithAsync(server, async (_, db) =>
        {
            var start = server.Clock.GetUtcNow().AddDays(-10);
            for (var i = 0; i < 120; i++)
            {
                db.Set<DeviceLoan>().Add(new DeviceLoan
                {
                    SchoolId = School, DeviceId = ipad.Id, BorrowerClass = i % 2 == 0 ? "3 Oak" : "5 Ash", Purpose = $"Lesson {i}",
                    OutAt = start.AddMinutes(i), DueAt = start.AddHours(5), OutBy = "test", ReturnedAt = start.AddHours(1).AddMinutes(i), ReturnedBy = "test",
                });
            }

            return await db.SaveChangesAsync();
        });
        (_, page) = await GetAsync(teacher, "/loans?status=all");
        page.QuerySelectorAll("#loans tbody tr").Length.ShouldBe(50);
        (_, page) = await GetAsync(teacher, "/loans?status=all&p=3");
        page.QuerySelectorAll("#loans tbody tr").Length.ShouldBe(21);
        (_, page) = await GetAsync(teacher, "/loans?status=all&q=5%20ash");
        page.QuerySelector("#loans-caption")!.TextContent.ShouldContain("60 loans");
        (_, page) = await GetAsync(teacher, "/loans?class=3%20Oak");
        page.QuerySelector("h1")!.TextContent.ShouldContain("3 Oak");
        page.QuerySelector("#loans-caption")!.TextContent.ShouldContain("61 loans");
        (_, page) = await GetAsync(teacher, $"/loans/devices/{ipad.Id}");
        page.QuerySelector("#loans-caption")!.TextContent.ShouldContain("121 loans");
        var csv = await teacher.GetStringAsync("/loans?handler=csv&status=all");
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(122);
        csv.ShouldStartWith("Device,Asset tag,Borrower,Purpose");

        // A device of another school, or none, is not found.
        (await teacher.GetAsync($"/loans/devices/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
