using Brightline.Policy.Model;

namespace Brightline.Policy;

/// <summary>One place the policy sends work or news to a role: who, what for, and whether they must decide (and so need a portal account).</summary>
public sealed record PolicyRoute(string Role, string What, bool Decides);

/// <summary>
/// Every role the policy routes to (issue 15 part 8): approvers of approval types and device requests, and the roles
/// emailed by the registers, monitoring, loans, lost property and leavers. The host checks each against the accounts
/// and role holders it has, so a route nobody holds is a warning rather than a silent drop.
/// </summary>
public static class PolicyRoutes
{
    public static IReadOnlyList<PolicyRoute> Of(SchoolPolicy policy)
    {
        var routes = new List<PolicyRoute>();
        void Add(IEnumerable<string> roles, string what, bool decides = false)
        {
            foreach (var role in roles)
            {
                routes.Add(new PolicyRoute(role, what, decides));
            }
        }

        foreach (var type in policy.Approvals.Types)
        {
            Add(type.Approvers, $"decides “{type.Title}” requests", decides: true);
            Add(type.Notify, $"is told when a “{type.Title}” approval takes effect");
        }

        foreach (var rule in policy.Devices.Requests.Where(r => r.Allowed))
        {
            Add(rule.Approvers, $"decides {rule.Kind.Replace('_', ' ')} requests", decides: true);
        }

        foreach (var kind in policy.Incidents.Kinds)
        {
            Add(kind.Notify, $"is emailed when a {kind.Label.ToLowerInvariant()} record is made");
        }

        Add(policy.Incidents.SeriousNotify, "is emailed about serious or persistent breaches");
        Add(policy.Monitoring.Tamper.Notify, "is emailed when monitoring is switched off or tampered with");
        Add(policy.Monitoring.Digest.Roles, "receives the weekly monitoring digest");
        Add(policy.Devices.Loans.OverdueNotify, "is emailed the loans not back at the end of the day");
        Add(policy.Devices.LostProperty.Remind, "is reminded when found property's hold ends");
        Add(policy.Devices.LostStolen.Notify, "is emailed when a device is reported lost or stolen");
        Add(policy.Devices.Leavers.Notify, "is emailed the equipment a leaver must return");
        foreach (var (category, route) in policy.Monitoring.Categories)
        {
            Add(route.Notify, $"is emailed about every “{category}” monitoring alert");
        }
        return routes;
    }
}
