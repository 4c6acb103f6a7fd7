using System.Collections.Concurrent;
using System.Reflection;
using Brightline.Data;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.LostProperty;

/// <summary>
/// Gives a loaded school's active policy a <c>devices:</c> section as the tests need it (<c>policy with { Devices = … }</c>)
/// by replacing its parse in the policy cache. Until the policy file's devices: section is parsed, this is how the
/// seed schools' lost-property (H15), lost-or-stolen (F7) and leavers (C19) rules are set.
/// </summary>
internal static class DevicesPolicyOverride
{
    public static async Task ApplyAsync(BrightlineServer server, string schoolId, Func<DevicesPolicy, DevicesPolicy> change)
    {
        await using var scope = server.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<PolicyStore>();
        var policy = await store.ActivePolicyAsync(schoolId, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        var versionId = await db.PolicyVersions.Where(v => v.SchoolId == schoolId && v.IsActive).Select(v => v.Id).SingleAsync();
        var cache = scope.ServiceProvider.GetRequiredService<PolicyCache>();
        var field = typeof(PolicyCache).GetField("_policies", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("PolicyCache no longer keeps its parses in _policies.");
        var parses = (ConcurrentDictionary<long, SchoolPolicy>)field.GetValue(cache)!;
        parses[versionId] = policy with { Devices = change(policy.Devices) };
    }
}
