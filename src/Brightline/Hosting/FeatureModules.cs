using Brightline.Access;
using Brightline.AccessChanges;
using Brightline.Agreements;
using Brightline.Approvals;
using Brightline.Audit;
using Brightline.BrowserExtension;
using Brightline.ClientBindings;
using Brightline.Consents;
using Brightline.Custody;
using Brightline.Database;
using Brightline.Demo;
using Brightline.DeviceRequests;
using Brightline.Devices;
using Brightline.DnsFiltering;
using Brightline.Email;
using Brightline.Incidents;
using Brightline.Loans;
using Brightline.Kernel;
using Brightline.Leavers;
using Brightline.LostProperty;
using Brightline.Network;
using Brightline.Nodes;
using Brightline.Passwords;
using Brightline.People;
using Brightline.Policies;
using Brightline.PolicyReviews;
using Brightline.Portal;
using Brightline.Reports;
using Brightline.Safeguarding;
using Brightline.Sanctions;
using Brightline.WebFiltering;

namespace Brightline.Hosting;

/// <summary>
/// Every feature of the application, in the order their services register, their middleware runs and their
/// endpoints map. A new feature folder adds its module here (see docs/architecture.md).
/// </summary>
public static class FeatureModules
{
    public static IReadOnlyList<IFeatureModule> All { get; } =
    [
        new DatabaseModule(),
        new AuditModule(),
        new EmailModule(),
        new AccessChangesModule(),
        new PoliciesModule(),
        new NodesModule(),          // the shared key ring and the load balancer's health probes
        new PeopleModule(),
        new AgreementsModule(),
        new AccessModule(),
        new SanctionsModule(),
        new IncidentsModule(),
        new ClientBindingsModule(),
        new WebFilteringModule(),   // its middleware (the block page host) runs before the portal's
        new DnsFilteringModule(),
        new CustodyModule(),
        new ReportsModule(),
        new SafeguardingModule(),
        new ApprovalsModule(),
        new BrowserExtensionModule(),
        new NetworkModule(),
        new DeviceRequestsModule(),
        new LoansModule(),
        new DevicesModule(),
        new LostPropertyModule(),
        new LeaversModule(),
        new PolicyReviewsModule(),
        new ConsentsModule(),
        new DemoModule(),
        new PasswordsModule(),      // before the portal: its validator and user manager take the place of Identity's defaults
        new PortalModule(),         // last: the portal's pages and its authentication wrap everything above
    ];
}
