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
/// The seed schools' request rules, as their policies' <c>devices.requests</c> say them (the policy helper's YAML, issue
/// 14), given to the server through <see cref="IDeviceRequestPolicy"/> on top of each real seed policy (its groups), so
/// the workflow is tested against every seed school before the YAML parsing lands. Once it has, <see cref="Rules"/> can go
/// and the tests read the policies as loaded.
/// </summary>
internal static class DeviceRequestWorld
{
    public static readonly TimeSpan Year = TimeSpan.FromDays(365);

    public static DeviceRequestRule Rule(string kind, string[] groups, string[] requesters, string[] approvers, string[] attest, string requirement,
        bool allowed = true, string? reason = null, TimeSpan? duration = null, TimeSpan? renewWithin = null, string[]? forbidden = null) =>
        new(kind, groups, allowed, reason, requesters, approvers, attest, duration ?? Year, renewWithin ?? TimeSpan.FromDays(30), false, forbidden ?? [], requirement);

    public const string EyfsReason = "Personal mobile devices (including wearables) are not allowed in the EYFS setting.";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<DeviceRequestRule>> Rules = new Dictionary<string, IReadOnlyList<DeviceRequestRule>>(StringComparer.Ordinal)
    {
        // H3: nobody in EYFS; other pupils with the head's express permission.
        ["westbrook-hay"] =
        [
            Rule("personal_device", ["eyfs"], [], [], [], "H3", allowed: false, reason: EyfsReason),
            Rule("personal_device", ["pre_prep", "prep"], ["parent", "teacher"], ["head"], ["passcode"], "H3", renewWithin: TimeSpan.FromDays(30)),
        ],
        // W3: a staff member's permission; removable storage virus-checked.
        ["wetherby"] =
        [
            Rule("personal_device", ["eyfs", "pupils"], ["parent", "teacher"], ["staff"], [], "W3"),
            Rule("removable_media", ["eyfs", "pupils"], ["parent", "teacher"], ["staff"], ["virus_checked"], "W3"),
        ],
        // O19: the headteacher's authorisation and encryption.
        ["omnicom-primary"] =
        [
            Rule("personal_device", ["staff", "governors", "volunteers"], ["self"], ["head"], ["encrypted", "passcode"], "O19"),
            Rule("removable_media", ["staff", "governors", "volunteers"], ["self"], ["head"], ["encrypted"], "O19"),
        ],
        // F7: 2FA on a personal device holding school accounts; F5: removable media encrypted, the computing lead or SLT approves.
        ["westfield"] =
        [
            Rule("personal_device", ["staff"], ["self"], ["head"], ["two_factor"], "F7"),
            Rule("removable_media", ["staff"], ["self"], ["computing_lead", "head"], ["encrypted"], "F5", duration: TimeSpan.FromDays(90), renewWithin: TimeSpan.FromDays(14)),
        ],
        // C17: a phone for school email has a passcode; C20: encrypted pens only, never rewritable CDs.
        ["st-clements"] =
        [
            Rule("personal_device", ["staff", "students", "supply"], ["self"], ["computing_lead", "head"], ["passcode"], "C17"),
            Rule("removable_media", ["staff", "students", "supply"], ["self"], ["computing_lead", "head"], ["encrypted"], "C20", forbidden: ["rewritable CDs"]),
        ],
    };

    /// <summary>The real policy with the seed rules for its school.</summary>
    private sealed class SeedRules(PolicyStore store) : IDeviceRequestPolicy
    {
        public async Task<SchoolPolicy> ForSchoolAsync(string schoolId, CancellationToken cancellationToken)
        {
            var policy = await store.ActivePolicyAsync(schoolId, cancellationToken);
            return Rules.TryGetValue(schoolId, out var rules) ? policy with { Devices = policy.Devices with { Requests = rules } } : policy;
        }
    }

    /// <summary>A server with the seed rules and no background sweep (tests run it by hand on the manual clock).</summary>
    public static Task<BrightlineServer> StartAsync(DatabaseProvider provider) =>
        BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?> { ["Brightline:DeviceRequests:Worker"] = "false" },
            configure: b => b.Services.AddScoped<IDeviceRequestPolicy, SeedRules>());

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
