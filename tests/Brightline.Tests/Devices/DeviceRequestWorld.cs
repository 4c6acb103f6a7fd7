using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DeviceRequests;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Portal.PortalTestKit;

namespace Brightline.Tests.Devices;

/// <summary>
/// The seed schools as their own policy files say (their <c>devices.requests</c> rules, issue 14), loaded as a school
/// loads them, with people imported.
/// </summary>
internal static class DeviceRequestWorld
{
    /// <summary>How long an approval lasts when the policy does not say (and at Westbrook Hay, which says a year).</summary>
    public static readonly TimeSpan Year = TimeSpan.FromDays(365);

    /// <summary>A rule built in code, for the unit tests of the rule's own logic.</summary>
    public static DeviceRequestRule Rule(string kind, string[] groups, string[] requesters, string[] approvers, string[] attest, string requirement,
        bool allowed = true, string? reason = null, string[]? forbidden = null) =>
        new(kind, groups, allowed, reason, requesters, approvers, attest, Year, TimeSpan.FromDays(30), false, forbidden ?? [], requirement);

    public const string EyfsReason = "Personal mobile devices (including wearables) are not allowed in the EYFS setting.";

    /// <summary>A server with no background sweep (tests run it by hand on the manual clock).</summary>
    public static Task<BrightlineServer> StartAsync(DatabaseProvider provider) =>
        BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:DeviceRequests:Worker"] = "false" });

    /// <summary>Loads a seed policy (policies/<paramref name="file"/>.yaml) and imports its pupils and staff.</summary>
    public static async Task LoadSchoolAsync(BrightlineServer server, string schoolId, string? pupilsCsv = null, string? staffCsv = null)
    {
        await TestSchool.LoadPolicyAsync(server, File.ReadAllText(RepoPaths.Policy(schoolId + ".yaml")));
        if (pupilsCsv is not null)
        {
            (await TestSchool.ImportAsync(server, ImportKind.Pupils, pupilsCsv, schoolId: schoolId)).Errors.ShouldBeEmpty();
        }

        if (staffCsv is not null)
        {
            (await TestSchool.ImportAsync(server, ImportKind.Staff, staffCsv, schoolId: schoolId)).Errors.ShouldBeEmpty();
        }
    }

    public static async Task<Person> PersonAsync(BrightlineServer server, string schoolId, Func<Person, bool> match)
    {
        await using var scope = server.CreateScope();
        var people = await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().People.AsNoTracking().Where(p => p.SchoolId == schoolId).ToListAsync();
        return people.Single(match);
    }

    /// <summary>A portal account standing for <paramref name="person"/> with <paramref name="role"/>, and the actor the service sees for it.</summary>
    public static async Task<DeviceRequestActor> ActorAsync(BrightlineServer server, string schoolId, Person? person, string email, params string[] roles)
    {
        ApplicationUser? user = null;
        foreach (var role in roles)
        {
            if (user is null)
            {
                user = await CreateUserAsync(server, email, role, person?.Id, schoolId);
            }
            else
            {
                await using var scope = server.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
                db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = schoolId, Role = role, PersonId = person?.Id });
                await db.SaveChangesAsync();
            }
        }

        return new DeviceRequestActor(schoolId, user!.Id, email, person?.FullName ?? email, email, person?.Id, roles);
    }

    public static async Task<T> WithAsync<T>(BrightlineServer server, Func<DeviceRequestService, BrightlineDbContext, Task<T>> action)
    {
        await using var scope = server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<DeviceRequestService>(), scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    public static Task<DeviceRequest> AskAsync(BrightlineServer server, DeviceRequestActor actor, NewDeviceRequest request) =>
        WithAsync(server, (s, _) => s.AskAsync(actor, request, CancellationToken.None));

    public static Task<DeviceRequest> DecideAsync(BrightlineServer server, DeviceRequestActor actor, Guid id, bool approve, string? note = null) =>
        WithAsync(server, (s, _) => s.DecideAsync(actor, id, approve, note, CancellationToken.None));

    public static Task<T> DbAsync<T>(BrightlineServer server, Func<BrightlineDbContext, Task<T>> action) => WithAsync(server, (_, db) => action(db));
}
