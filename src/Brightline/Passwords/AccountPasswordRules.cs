using Brightline.Data;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Passwords;

/// <summary>
/// Which password rules apply to a portal account (issue 15; F3, C16, H13). An account may hold roles at several
/// schools: at each, its person record (from the membership) puts it in the policy's groups, and the groups pick the
/// rules (<see cref="PasswordsPolicy.For"/>). The account meets every school's rules. An account with no school yet
/// (just created) has the built-in rule only.
/// </summary>
public sealed class AccountPasswordRules(BrightlineDbContext db, PolicyStore policies)
{
    public async Task<IReadOnlyList<SchoolPasswordRules>> ForAccountAsync(string? userId, CancellationToken cancellationToken)
    {
        if (userId is null)
        {
            return [];
        }

        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.UserId == userId)
            .Select(m => new { m.SchoolId, m.PersonId }).ToListAsync(cancellationToken);
        var result = new List<SchoolPasswordRules>();
        foreach (var school in memberships.GroupBy(m => m.SchoolId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            SchoolPolicy policy;
            try
            {
                policy = await policies.ActivePolicyAsync(school.Key, cancellationToken);
            }
            catch (DomainException)
            {
                continue; // a school without an active policy yet: nothing to apply there
            }

            var personId = school.Select(m => m.PersonId).FirstOrDefault(p => p is not null);
            var person = personId is { } id
                ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.SchoolId == school.Key, cancellationToken)
                : null;
            var groups = person is null ? [] : PersonGroups.For(policy, person).Select(g => g.Id).ToList();
            result.Add(new SchoolPasswordRules(school.Key, policy, person, policy.Passwords.For(groups)));
        }

        return result;
    }

    /// <summary>The rules the account meets, in words, as the change-password and reset-link pages show them.</summary>
    public async Task<string> DescribeAsync(string? userId, CancellationToken cancellationToken) =>
        PasswordRuleText.Describe(Flatten(await ForAccountAsync(userId, cancellationToken)));

    /// <summary>Every rule the account meets, once each; the built-in rule when no school gives one.</summary>
    public static IReadOnlyList<PasswordRule> Flatten(IReadOnlyList<SchoolPasswordRules> schools)
    {
        var rules = schools.SelectMany(s => s.Rules).Distinct().ToList();
        return rules.Count == 0 ? [PasswordRule.BuiltIn] : rules;
    }
}
