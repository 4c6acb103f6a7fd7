using Brightline.ClientBindings;
using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.People;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Filtering;

/// <summary>
/// Signing in to the portal binds the device's address to the person for the policy's
/// <c>sign_in_binding_minutes</c> (issue 3, section 2), in this process and in the store a separate DNS
/// process reads; signing out removes both.
/// </summary>
public sealed class SignInBindingTests
{
    private static readonly IPAddress s_laptop = IPAddress.Parse("127.0.0.4");

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SignIn_StoresTheDevicesBinding_SignOut_RemovesIt(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        var teacher = await TestSchool.PersonAsync(server, "S01");
        await CreateUserAsync(server, "teacher@example.sch.uk", "teacher", teacher.Id);
        var bindings = server.Services.GetRequiredService<DnsClientBindings>();

        using var client = ClientFrom(server, s_laptop);
        (await LoginAsync(client, "teacher@example.sch.uk")).ShouldRedirectTo("/");
        var signedInAt = server.Clock.GetUtcNow();

        var row = (await StoredAsync(server)).ShouldHaveSingleItem();
        row.Address.ShouldBe("127.0.0.4");
        row.PersonId.ShouldBe(teacher.Id);
        row.SchoolId.ShouldBe(TestSchool.Id);
        row.Until.ShouldBe(signedInAt.AddMinutes(480), "the example policy's sign_in_binding_minutes");
        bindings.Find(s_laptop).ShouldNotBeNull().PersonId.ShouldBe(teacher.Id);

        // The agreement gate sends a new member of staff to sign first; its page has the sign-out button too.
        var (home, _) = await GetAsync(client, "/");
        var (_, page) = await GetAsync(client, home.Headers.Location?.ToString() ?? "/");
        (await SubmitAsync(client, page, "/account/logout", new Dictionary<string, string>(), "form[action='/account/logout']"))
            .ShouldRedirectTo("/account/login");
        (await StoredAsync(server)).ShouldBeEmpty();
        bindings.Find(s_laptop).ShouldBeNull();
    }

    /// <summary>Two sign-ins from one address at the same moment both succeed; one stored binding remains.</summary>
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ConcurrentSignIns_FromOneAddress_BothSucceed_OneBindingIsStored(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml);
        await TestSchool.ImportAsync(server, ImportKind.Staff, TestSchool.StaffCsv);
        Guid[] people = [(await TestSchool.PersonAsync(server, "S01")).Id, (await TestSchool.PersonAsync(server, "S02")).Id];
        var bindings = server.Services.GetRequiredService<DnsClientBindings>();
        for (var round = 0; round < 10; round++)
        {
            var address = IPAddress.Parse($"127.0.1.{round + 1}");
            await Task.WhenAll(people.Select(async person =>
            {
                await using var scope = server.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
                await bindings.BindAndStoreAsync(db, address, TestSchool.Id, person, server.Clock.GetUtcNow().AddHours(1), CancellationToken.None);
            }));
        }

        var stored = await StoredAsync(server);
        stored.Count.ShouldBe(10);
        stored.ShouldAllBe(b => people.Contains(b.PersonId));
    }

    private static async Task<List<DeviceBinding>> StoredAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<DeviceBinding>().AsNoTracking().ToListAsync();
    }
}
