using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Passwords;

/// <summary>
/// The maximum-age side of the password rules (issue 15; C16, H13, F3 "changed regularly"): a password set on a day
/// expires on the first day its rule's <c>max_age</c> has passed (days, or half terms and terms on the school's
/// calendar); from <c>warn_before_days</c> before that the portal warns. An account with no recorded change (none
/// should exist after V0032) never expires: existing accounts keep working.
/// </summary>
public sealed class PasswordExpiry(BrightlineDbContext db, AccountPasswordRules accountRules, TimeProvider time) : Portal.IPasswordChangeRequired
{
    public const string Expired = "expired";
    public const string Compromised = "compromised";

    public async Task<PasswordStatus> StatusAsync(string userId, CancellationToken cancellationToken)
    {
        var state = await db.Set<AccountPassword>().AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (state is null)
        {
            return PasswordStatus.Fine;
        }

        if (state.MustChange is { } reason)
        {
            return new PasswordStatus(reason, null, false, null);
        }

        var schools = await accountRules.ForAccountAsync(userId, cancellationToken);
        var changedOn = SchoolClock.DateOf(state.ChangedAt);
        (DateOnly On, PasswordRule Rule, PasswordMaxAge Age)? first = null;
        foreach (var school in schools)
        {
            foreach (var rule in school.Rules)
            {
                if (rule.MaxAge is { } age)
                {
                    var on = age.ExpiresOn(changedOn, school.Policy.School.Calendar);
                    if (first is null || on < first.Value.On)
                    {
                        first = (on, rule, age);
                    }
                }
            }
        }

        if (first is not { } expiry)
        {
            return PasswordStatus.Fine;
        }

        var today = SchoolClock.Today(time);
        if (today >= expiry.On)
        {
            return new PasswordStatus(Expired, expiry.On, false, expiry.Age);
        }

        return new PasswordStatus(null, expiry.On, today >= expiry.On.AddDays(-expiry.Rule.WarnBeforeDays), expiry.Age);
    }

    async Task<string?> Portal.IPasswordChangeRequired.ReasonAsync(string userId, CancellationToken cancellationToken) =>
        (await StatusAsync(userId, cancellationToken)).MustChange;
}
