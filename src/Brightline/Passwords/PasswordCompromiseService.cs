using Brightline.Audit;
using Brightline.Incidents;
using Brightline.Policy.Model;

namespace Brightline.Passwords;

/// <summary>
/// "My password may be compromised" (issue 15; F3: "change it immediately and inform Eduthing and the Headteacher or
/// School Business Manager"; H13: "tell IT support"): the account must change its password before anything else, and
/// a security incident is opened in the register the account's rule names, told to the rule's roles as well as the
/// register's own (the Incidents module's routing and email outbox). Audited.
/// </summary>
public sealed class PasswordCompromiseService(AccountPasswordRules accountRules, PasswordHistory history, IncidentService incidents, AuditLog audit)
{
    public const string AuditAction = "password-compromised";

    public async Task<CompromisePlan?> PlanAsync(string userId, string? schoolId, CancellationToken cancellationToken)
    {
        if (schoolId is null)
        {
            return null;
        }

        var school = (await accountRules.ForAccountAsync(userId, cancellationToken)).FirstOrDefault(s => string.Equals(s.SchoolId, schoolId, StringComparison.Ordinal));
        if (school is null)
        {
            return null;
        }

        var compromise = school.Rules.Select(r => r.Compromised).FirstOrDefault(c => c is not null) ?? new PasswordCompromise();
        var settings = await incidents.SettingsAsync(schoolId, cancellationToken);
        var kind = settings.Find(compromise.Register) ?? settings.Find(IncidentKindKeys.Security);
        var notify = (kind?.Notify ?? []).Concat(compromise.Notify).Distinct(StringComparer.Ordinal).ToList();
        return new CompromisePlan(kind?.Key ?? compromise.Register, kind?.Label ?? compromise.Register, notify);
    }

    /// <summary>Forces the change and, at a school, opens the incident. Returns the incident's ID, if one was opened.</summary>
    public async Task<Guid?> ReportAsync(string userId, string userName, string? schoolId, Guid? personId, string? clientAddress, CancellationToken cancellationToken)
    {
        await history.RequireChangeAsync(userId, PasswordExpiry.Compromised, cancellationToken);
        var plan = await PlanAsync(userId, schoolId, cancellationToken);
        Guid? incidentId = null;
        if (plan is not null && schoolId is not null)
        {
            var school = (await accountRules.ForAccountAsync(userId, cancellationToken)).First(s => string.Equals(s.SchoolId, schoolId, StringComparison.Ordinal));
            var requirementIds = school.Rules.SelectMany(r => r.Requirements).Distinct(StringComparer.Ordinal).ToList();
            var passwordRules = school.Policy.Rules.Where(r => r.Kind == RuleKind.Password && r.Requirements.Any(requirementIds.Contains)).Select(r => r.Id).ToList();
            var incident = await incidents.CreateAsync(new NewIncident(
                schoolId, plan.Register, "Password may be compromised",
                personId is { } p ? [p] : [], passwordRules,
                $"{userName} reported through the portal that their password may be compromised. The portal now makes them change it before they can do anything else"
                    + (requirementIds.Count > 0 ? $" ({string.Join(", ", requirementIds)})." : "."),
                userName, AlsoNotify: plan.Notify), cancellationToken);
            incidentId = incident.Id;
        }

        await audit.AppendAsync(schoolId, userName, AuditAction, userId, incidentId is { } id ? $"incident {id}" : "no school: change forced only", clientAddress, cancellationToken);
        return incidentId;
    }
}
