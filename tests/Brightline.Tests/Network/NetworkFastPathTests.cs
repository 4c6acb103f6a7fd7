using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.People;
using Brightline.Sanctions;
using Brightline.Tests.People;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Agreements.AgreementTestData;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Network;

/// <summary>
/// The network's fast path (issue 13's benchmark: <see cref="VerifiedCredentials"/> and <see cref="NetworkDecisionCache"/>)
/// is only ever a shortcut to the answer the full check would give: a wrong password after a remembered right one is
/// refused and counted towards the lockout, a lockout still refuses the remembered password, a password changed in
/// this process or written by another one makes the old password wrong at once, and a sanction refuses a person
/// whose accept was remembered. Real Kestrel and the rlm_rest API, both databases.
/// </summary>
public sealed class NetworkFastPathTests
{
    private const string Email = "h.marsh@school.test";
    private const string NewPassword = "violet ferns under the spring rain";

    private static async Task<BrightlineServer> StartAsync(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [$"Brightline:Radius:MachineKeys:{TestSchool.Id}"] = FreeRadiusTests.MachineKey,
        });
        try
        {
            await TestSchool.LoadPolicyAsync(server, FreeRadiusTests.PolicyYaml(quarantine: false));
            await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<(HttpStatusCode Status, string Code, string? Message)> SignInAsync(BrightlineServer server, string password)
    {
        var body = new JsonObject();
        foreach (var (name, value) in new[] { ("User-Name", Email), ("User-Password", password), ("Called-Station-Id", "AA-BB-CC-DD-EE-FF:Example-Staff") })
        {
            body[name] = new JsonObject { ["type"] = "string", ["value"] = new JsonArray(value) };
        }

        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FreeRadiusTests.MachineKey);
        using var response = await client.PostAsync(RadiusApi.AuthenticatePath, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string? Reply(string name) => root.TryGetProperty(name, out var a) ? a.GetProperty("value")[0].GetString() : null;
        return (response.StatusCode, Reply("reply:Tunnel-Private-Group-Id") ?? "", Reply("reply:Reply-Message"));
    }

    private static async Task<ApplicationUser> UserAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == Email);
    }

    private static long Hits(BrightlineServer server) => server.Services.GetRequiredService<VerifiedCredentials>().Hits;

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RememberedPassword_WrongOneIsRefusedAndCounted_LockoutStillApplies_AChangedPasswordIsForgotten(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, Email, "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");

        // The first sign-in takes the full check; the second is answered from the remembered fingerprint.
        (await SignInAsync(server, Password)).ShouldBe((HttpStatusCode.OK, "30", null));
        var hits = Hits(server);
        (await SignInAsync(server, Password)).ShouldBe((HttpStatusCode.OK, "30", null));
        Hits(server).ShouldBe(hits + 1, "the same password again is the fast path");

        // A wrong password after the remembered right one: refused, and counted towards the portal's lockout.
        var wrong = await SignInAsync(server, "not-the-password");
        wrong.Status.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.Message.ShouldBe("Network access refused: the password is not right.");
        (await UserAsync(server)).AccessFailedCount.ShouldBe(1);

        // The right one again takes the full check (a failure is counted), which clears the count as at the portal.
        hits = Hits(server);
        (await SignInAsync(server, Password)).Status.ShouldBe(HttpStatusCode.OK);
        Hits(server).ShouldBe(hits, "a counted failure sends the next sign-in through the full check");
        (await UserAsync(server)).AccessFailedCount.ShouldBe(0);
        (await SignInAsync(server, Password)).Status.ShouldBe(HttpStatusCode.OK);
        Hits(server).ShouldBe(hits + 1);

        // Five wrong passwords lock the account: the remembered right password is refused as locked out.
        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(server, $"guess {i}")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var locked = await SignInAsync(server, Password);
        locked.Status.ShouldBe(HttpStatusCode.Unauthorized);
        locked.Message.ShouldBe("Network access refused: the account is locked after too many wrong passwords; try again later.");
        (await UserAsync(server)).LockoutEnd.ShouldNotBeNull();

        // An administrator ends the lockout: the right password is accepted again.
        await using (var scope = server.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(Email))!;
            (await users.SetLockoutEndDateAsync(user, null)).Succeeded.ShouldBeTrue();
            (await users.ResetAccessFailedCountAsync(user)).Succeeded.ShouldBeTrue();
        }

        (await SignInAsync(server, Password)).ShouldBe((HttpStatusCode.OK, "30", null));
        (await SignInAsync(server, Password)).Status.ShouldBe(HttpStatusCode.OK);

        // The password changed through the portal's account manager: the old one is wrong at once, the new one works.
        await using (var scope = server.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(Email))!;
            var changed = await users.ChangePasswordAsync(user, Password, NewPassword);
            changed.Succeeded.ShouldBeTrue(string.Join("; ", changed.Errors.Select(e => e.Description)));
        }

        (await SignInAsync(server, Password)).Message.ShouldBe("Network access refused: the password is not right.");
        (await SignInAsync(server, NewPassword)).ShouldBe((HttpStatusCode.OK, "30", null));
        (await SignInAsync(server, NewPassword)).Status.ShouldBe(HttpStatusCode.OK);

        // The password written by another process (nothing tells this one): the stored hash differs, so the remembered
        // fingerprint no longer matches and the new stored password decides.
        string otherHash;
        await using (var scope = server.CreateScope())
        {
            var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<ApplicationUser>>();
            otherHash = hasher.HashPassword(await UserAsync(server), Password);
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            (await db.Users.Where(u => u.Email == Email).ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, otherHash))).ShouldBe(1);
        }

        hits = Hits(server);
        (await SignInAsync(server, NewPassword)).Message.ShouldBe("Network access refused: the password is not right.");
        (await SignInAsync(server, Password)).Status.ShouldBe(HttpStatusCode.OK);
        Hits(server).ShouldBe(hits, "neither sign-in matched a remembered fingerprint");

        // A new security stamp (sign out everywhere, an administrator's reset) also ends the remembered password.
        (await SignInAsync(server, Password)).Status.ShouldBe(HttpStatusCode.OK);
        await using (var scope = server.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            (await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(Email))!)).Succeeded.ShouldBeTrue();
        }

        hits = Hits(server);
        (await SignInAsync(server, Password)).Status.ShouldBe(HttpStatusCode.OK);
        Hits(server).ShouldBe(hits, "the stamp changed: the full check again");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RememberedAccept_IsDroppedByASanction_AndComesBackWhenItIsLifted(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        var head = await TestSchool.PersonAsync(server, "S02");
        await CreateUserAsync(server, Email, "head", head.Id);
        await SignAsync(server, head, head, "staff", "Headteacher");
        (await SignInAsync(server, Password)).ShouldBe((HttpStatusCode.OK, "30", null));
        (await SignInAsync(server, Password)).ShouldBe((HttpStatusCode.OK, "30", null));

        Sanction sanction;
        await using (var scope = server.CreateScope())
        {
            sanction = await scope.ServiceProvider.GetRequiredService<SanctionService>().ImposeAsync(
                new ImposeSanction(TestSchool.Id, head.Id, SanctionKind.SuspendAccount, "Shared her password", server.Clock.GetUtcNow().AddDays(2), [], "it@school.test"),
                CancellationToken.None);
        }

        var suspended = await SignInAsync(server, Password);
        suspended.Status.ShouldBe(HttpStatusCode.Unauthorized);
        suspended.Message.ShouldBe("Network access refused: the account is suspended until 27 November 2026, 10:00.");

        await using (var scope = server.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SanctionService>().LiftAsync(TestSchool.Id, sanction.Id, "Resolved", "it@school.test", CancellationToken.None);
        }

        (await SignInAsync(server, Password)).ShouldBe((HttpStatusCode.OK, "30", null));
    }
}
