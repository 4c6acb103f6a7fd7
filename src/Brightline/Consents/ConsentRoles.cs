using Brightline.Portal;

namespace Brightline.Consents;

/// <summary>
/// Who uses the consent register (F11, C14). Readers open the consent lists and run the publication check: the
/// whole-school roles, and teachers for their own class (PortalScope narrows a teacher to their class). Recorders enter
/// paper answers, the child's verbal consent and withdrawals, and send parents their links: the office (business
/// manager, admin), the head and the safeguarding leads.
/// </summary>
public static class ConsentRoles
{
    /// <summary>The readers as <c>[Authorize(Roles = …)]</c> takes them on the consent pages.</summary>
    public const string ReaderNames = PortalRoles.Admin + "," + PortalRoles.Dsl + "," + PortalRoles.DeputyDsl + "," + PortalRoles.Head + ","
        + PortalRoles.ComputingLead + "," + PortalRoles.BusinessManager + "," + PortalRoles.Teacher;

    public static readonly IReadOnlyList<string> Readers = ReaderNames.Split(',');

    public static readonly IReadOnlyList<string> Recorders =
        [PortalRoles.Admin, PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.BusinessManager];
}
