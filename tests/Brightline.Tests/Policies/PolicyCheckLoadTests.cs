using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Policies;

/// <summary>
/// `policy check` (<see cref="PolicyLoader.Load"/>) and `policy load` (<see cref="PolicyStore.LoadAsync"/>) give the
/// same errors for the same file, because every section is typed and checked in the policy library (issue 11); a
/// file with any error is never stored, and every seed policy loads.
/// </summary>
public sealed class PolicyCheckLoadTests
{
    /// <summary>Bad feature sections that `policy check` passed before they were typed (issue 11), and a few more.</summary>
    public static readonly IReadOnlyList<(string Name, string Section)> BadSections =
    [
        ("retention-in-words.yaml", "monitoring:\n  retention_days: forty-five\n"),
        ("digest-day.yaml", "monitoring:\n  digest:\n    day: fryday\n"),
        ("monitoring-unknown-key.yaml", "monitoring:\n  viewers: [dsl]\n  colour: blue\n"),
        ("incidents-unknown-key.yaml", "incidents:\n  kinds:\n    security:\n      notfy: [head]\n"),
        ("incidents-bad-role.yaml", "incidents:\n  kinds:\n    safeguarding:\n      notify: [dsl, safeguarding_team]\n"),
        ("approvals-unknown-key.yaml", "approvals:\n  types:\n    exemption:\n      max_duraton: 4h\n"),
        ("approvals-no-kind.yaml", "approvals:\n  types:\n    trip_wifi:\n      requesters: [teacher]\n"),
        ("devices.yaml", "devices:\n  personal:\n    eyfs: refuse\n"),
        // example.yaml has a passwords: section (issue 15): its bad rules are PasswordsPolicyTests'.
    ];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CheckAndLoad_BadFiles_GiveTheSameErrors_AndNothingIsStored(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        foreach (var (name, section) in BadSections)
        {
            var yaml = TestSchool.ExampleYaml.TrimEnd() + "\n\n" + section;

            var checkErrors = PolicyLoader.Load(yaml, name).Errors.Select(e => e.ToString()).ToList();
            var loadErrors = (await Should.ThrowAsync<PolicyInvalidException>(() => LoadAsync(server, yaml, name), name))
                .Errors.Select(e => e.ToString()).ToList();

            checkErrors.ShouldNotBeEmpty(name);
            checkErrors.ShouldAllBe(e => e.StartsWith(name + ":", StringComparison.Ordinal) && !e.StartsWith(name + ":1:1:", StringComparison.Ordinal),
                "each error is placed at its key or value, not at the top of the file");
            loadErrors.ShouldBe(checkErrors, name);
        }

        await using var scope = server.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<PolicyVersion>().CountAsync()).ShouldBe(0, "nothing is stored");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CheckAndLoad_SeedPolicies_BothSucceed(DatabaseProvider provider)
    {
        await using var server = await BrightlineServer.StartAsync(provider);
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Root, "policies"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        files.Count.ShouldBe(6, "five seed schools and the example");
        foreach (var file in files)
        {
            var yaml = await File.ReadAllTextAsync(file);
            PolicyLoader.Load(yaml, file).Errors.ShouldBeEmpty(file);
            var version = await LoadAsync(server, yaml, file);
            version.IsActive.ShouldBeTrue(file);
        }

        await using var scope = server.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<PolicyVersion>().CountAsync(v => v.IsActive)).ShouldBe(files.Count);
    }

    private static async Task<PolicyVersion> LoadAsync(BrightlineServer server, string yaml, string name)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PolicyStore>().LoadAsync(yaml, name, "test", CancellationToken.None);
    }
}
