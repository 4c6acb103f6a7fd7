using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Passwords;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Passwords;

/// <summary>
/// Password rules from the policy (issue 15) on each seed school's own policy file, in a running portal: Westfield's
/// staff rule (F3) with its forced change and incident on compromise, St Clement's half-termly change (C16), and
/// example.yaml's accounts as before the rules existed.
/// </summary>
public sealed class PasswordRulesTests
{
    private static async Task<T> WithDbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    private static async Task<Person> AddStaffAsync(BrightlineServer server, string school, string given, string family)
    {
        return await WithDbAsync(server, async db =>
        {
            var now = server.Clock.GetUtcNow();
            var person = new Person
            {
                Id = Guid.NewGuid(), SchoolId = school, ExternalId = "T-" + given, Source = "manual", GivenName = given, FamilyName = family,
                KindMask = 1 << (int)PersonKind.Staff, JoinedOn = new DateOnly(2024, 9, 1), CreatedAt = now, UpdatedAt = now,
            };
            db.Add(person);
            await db.SaveChangesAsync();
            return person;
        });
    }

    private static async Task<HttpResponseMessage> ChangeAsync(HttpClient client, string current, string next)
    {
        var (_, page) = await GetAsync(client, "/account/password");
        return await SubmitAsync(client, page, "/account/password", new Dictionary<string, string>
        {
            ["Current"] = current, ["NewPassword"] = next, ["Confirm"] = next,
        });
    }

    private static async Task<string> RefusedAsync(HttpClient client, string current, string next)
    {
        var response = await ChangeAsync(client, current, next);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldNotContain("Your password has been changed", customMessage: $"'{next}' should have been refused");
        return html;
    }

    private static async Task AcceptedAsync(HttpClient client, string current, string next)
    {
        var response = await ChangeAsync(client, current, next);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain("Your password has been changed", customMessage: $"'{next}' should have been accepted");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task F3_Westfield_StaffPasswords_LengthClassesCommonNamesAndNeverReused(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westfield.yaml")));
        var tara = await AddStaffAsync(server, "westfield", "Tara", "Teach");
        await AddStaffAsync(server, "westfield", "Margaret", "Oakley");
        await CreateUserAsync(server, "tara@westfield.test", "teacher", tara.Id, "westfield");
        var client = server.CreateClient();
        (await LoginAsync(client, "tara@westfield.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, page) = await GetAsync(client, "/account/password");
        page.QuerySelector("#password-rules")!.TextContent.ShouldContain("At least 8 characters, with a number and a symbol");

        // The administrator's one-time link says the same rules (it once said "12 characters" to everyone).
        string resetLink;
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
            var account = (await users.FindByEmailAsync("tara@westfield.test"))!;
            resetLink = $"/account/reset-password?user={account.Id}&code={Uri.EscapeDataString(await users.GeneratePasswordResetTokenAsync(account))}";
        }

        var (_, reset) = await GetAsync(server.CreateClient(), resetLink);
        reset.QuerySelector("#password-rules")!.TextContent.ShouldContain("At least 8 characters, with a number and a symbol");
        reset.Body!.TextContent.ShouldNotContain("12 characters");

        (await RefusedAsync(client, Password, "Westfield2025!")).ShouldContain("contains the school's name");
        (await RefusedAsync(client, Password, "Password1!")).ShouldContain("too common");
        (await RefusedAsync(client, Password, "Summer2024!")).ShouldContain("too common");
        (await RefusedAsync(client, Password, "short1!")).ShouldContain("at least 8 characters");
        (await RefusedAsync(client, Password, "kettle river lantern")).ShouldContain("add a number");
        (await RefusedAsync(client, Password, "Oakley#2024x")).ShouldContain("name of a member of staff");
        (await RefusedAsync(client, Password, "Tara!rocks99")).ShouldContain("your own name");

        await AcceptedAsync(client, Password, "Violet&Kettle42");
        // F3 "never reused": neither the current password nor any earlier one.
        (await RefusedAsync(client, "Violet&Kettle42", "Violet&Kettle42")).ShouldContain("You used this password before");
        await AcceptedAsync(client, "Violet&Kettle42", "Lantern%Meadow77");
        (await RefusedAsync(client, "Lantern%Meadow77", "Violet&Kettle42")).ShouldContain("You used this password before");

        var history = await WithDbAsync(server, db => db.Set<PasswordHistoryEntry>().AsNoTracking().CountAsync());
        history.ShouldBe(3, "creation and two changes");
        (await WithDbAsync(server, db => db.Set<AccountPassword>().AsNoTracking().SingleAsync())).ChangedAt.ShouldBe(server.Clock.GetUtcNow(), TimeSpan.FromSeconds(1));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C16_StClements_PasswordChangedBeforeTheHalfTermBoundary_IsSentToChangeItAtSignIn(DatabaseProvider provider)
    {
        // 25/11/2026: the second half of the autumn term, which started on 02/11/2026.
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
        var sam = await AddStaffAsync(server, "st-clements", "Sam", "Jones");
        var user = await CreateUserAsync(server, "sam@stclements.test", "teacher", sam.Id, "st-clements");
        await WithDbAsync(server, async db =>
        {
            var state = await db.Set<AccountPassword>().SingleAsync(a => a.UserId == user.Id);
            state.ChangedAt = new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero); // the first half of the autumn term
            return await db.SaveChangesAsync();
        });

        var client = server.CreateClient();
        (await LoginAsync(client, "sam@stclements.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        foreach (var path in new[] { "/", "/policy", "/sign" })
        {
            (await client.GetAsync(path)).ShouldRedirectTo("/account/password?reason=expired");
        }

        var (_, page) = await GetAsync(client, "/account/password");
        page.QuerySelector("#password-reason")!.TextContent.ShouldContain("older than the school's policy allows (1 half term)");

        await AcceptedAsync(client, Password, "kettle river lantern meadow");
        (await client.GetAsync("/policy")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task C16_StClements_WithinTheWarning_TheBannerGivesTheExpiryDate(DatabaseProvider provider)
    {
        // 30/12/2026: a password changed in the second half of the autumn term expires when the spring term starts (04/01/2027); the warning is 7 days.
        await using var server = await BrightlineServer.StartAsync(provider, new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.Zero));
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("st-clements.yaml")));
        var sam = await AddStaffAsync(server, "st-clements", "Sam", "Jones");
        var user = await CreateUserAsync(server, "sam@stclements.test", "teacher", sam.Id, "st-clements");
        await WithDbAsync(server, async db =>
        {
            var state = await db.Set<AccountPassword>().SingleAsync(a => a.UserId == user.Id);
            state.ChangedAt = new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
            return await db.SaveChangesAsync();
        });

        var client = server.CreateClient();
        (await LoginAsync(client, "sam@stclements.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (response, page) = await GetAsync(client, "/account/two-factor");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#password-expiry")!.TextContent.ShouldContain("Your password expires on 04/01/2027");

        // Before the warning starts there is no banner.
        await WithDbAsync(server, async db =>
        {
            var state = await db.Set<AccountPassword>().SingleAsync(a => a.UserId == user.Id);
            state.ChangedAt = new DateTimeOffset(2026, 12, 29, 9, 0, 0, TimeSpan.Zero); // in the Christmas holiday: counts for the spring term's first half, so lasts until its half-term break ends
            return await db.SaveChangesAsync();
        });
        (_, page) = await GetAsync(client, "/account/two-factor");
        page.QuerySelector("#password-expiry").ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task F3_Westfield_MyPasswordMayBeCompromised_ForcesAChangeAndTellsTheItProviderHeadAndSbm(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy("westfield.yaml")));
        var tara = await AddStaffAsync(server, "westfield", "Tara", "Teach");
        await CreateUserAsync(server, "it@westfield.test", "it_provider", schoolId: "westfield");
        await CreateUserAsync(server, "sbm@westfield.test", "business_manager", schoolId: "westfield");
        await CreateUserAsync(server, "head@westfield.test", "head", schoolId: "westfield");
        await CreateUserAsync(server, "tara@westfield.test", "teacher", tara.Id, "westfield");
        var client = server.CreateClient();
        (await LoginAsync(client, "tara@westfield.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // A confirmation first: opening the page changes nothing.
        var (_, page) = await GetAsync(client, "/account/password/compromised");
        page.QuerySelector("#told")!.TextContent.ShouldBe("the IT provider, the headteacher, the school business manager");
        (await WithDbAsync(server, db => db.Set<Incident>().AsNoTracking().CountAsync())).ShouldBe(0);

        (await SubmitAsync(client, page, "/account/password/compromised", new Dictionary<string, string>()))
            .ShouldRedirectTo("/account/password?reason=compromised");
        (await client.GetAsync("/")).ShouldRedirectTo("/account/password?reason=compromised");

        var incident = await WithDbAsync(server, db => db.Set<Incident>().AsNoTracking().SingleAsync());
        incident.Kind.ShouldBe(IncidentKinds.Security);
        incident.SchoolId.ShouldBe("westfield");
        incident.RuleIds.ShouldContain("F3-passwords");
        (await WithDbAsync(server, db => db.Set<IncidentPerson>().AsNoTracking().Select(p => p.PersonId).SingleAsync())).ShouldBe(tara.Id);
        var recipients = await WithDbAsync(server, db => db.EmailOutbox.AsNoTracking().Where(m => m.SchoolId == "westfield" && m.Purpose == "incident-created").Select(m => m.Recipient).ToListAsync());
        recipients.ShouldBe(["it@westfield.test", "head@westfield.test", "sbm@westfield.test"], ignoreOrder: true);
        (await WithDbAsync(server, db => db.AuditEntries.AsNoTracking().CountAsync(e => e.Action == PasswordCompromiseService.AuditAction))).ShouldBe(1);

        await AcceptedAsync(client, Password, "Violet&Kettle42");
        (await client.GetAsync("/account/password/compromised")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The forced change is over once the password is changed (the agreement gate may still ask for a signature).
        ((await client.GetAsync("/")).Headers.Location?.OriginalString ?? "").ShouldNotContain("/account/password");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Example_AccountsBehaveAsBefore_12CharactersGuessableWordsNoExpiry(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server);
        await CreateUserAsync(server, "parent@example.test", "parent");
        var client = server.CreateClient();
        (await LoginAsync(client, "parent@example.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await RefusedAsync(client, Password, "short")).ShouldContain("Passwords must be at least 12 characters.");
        (await RefusedAsync(client, Password, "mypassword2024")).ShouldContain("too easy to guess");
        await AcceptedAsync(client, Password, "kettle river lantern meadow");
        await AcceptedAsync(client, "kettle river lantern meadow", Password); // the built-in rule never checked reuse, and still does not

        server.Clock.Advance(TimeSpan.FromDays(800));
        var later = server.CreateClient();
        (await LoginAsync(later, "parent@example.test")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        ((await later.GetAsync("/")).Headers.Location?.OriginalString ?? "").ShouldNotContain("/account/password");
        var (_, page) = await GetAsync(later, "/account/password");
        page.QuerySelector("#password-reason").ShouldBeNull("no maximum age without a rule that sets one");
    }

    [Fact]
    public void CommonList_IsSizeable_AndCaseInsensitive_WithTrailingDigitsAndSymbolsRemoved()
    {
        CommonPasswordList.Count.ShouldBeGreaterThan(10_000);
        CommonPasswordList.IsCommon("DRAGON").ShouldBeTrue();
        CommonPasswordList.IsCommon("Summer2024!").ShouldBeTrue();
        CommonPasswordList.IsCommon("kettle river lantern meadow").ShouldBeFalse();
    }
}
