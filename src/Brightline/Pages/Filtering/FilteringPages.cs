using Brightline.Portal;

namespace Brightline.Pages.Filtering;

/// <summary>Who may open the filtering pages (profiles, lists, decision log, "test a URL as …").</summary>
public static class FilteringPages
{
    /// <summary>Staff who manage or oversee filtering; teachers, other staff, parents and pupils may not.</summary>
    public const string Viewers = PortalRoles.ComputingLead + "," + PortalRoles.ItProvider + "," + PortalRoles.Admin + ","
        + PortalRoles.Head + "," + PortalRoles.Dsl + "," + PortalRoles.DeputyDsl;

    public static readonly IReadOnlyList<string> ViewerRoles =
        [PortalRoles.ComputingLead, PortalRoles.ItProvider, PortalRoles.Admin, PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl];

    public static readonly IReadOnlyList<string> RequestDeciderRoles =
        [PortalRoles.ComputingLead, PortalRoles.ItProvider, PortalRoles.Admin, PortalRoles.Head];
}
