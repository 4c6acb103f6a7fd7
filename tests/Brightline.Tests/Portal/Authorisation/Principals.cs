using Brightline.Portal;

namespace Brightline.Tests.Portal.Authorisation;

/// <summary>Who asks: a role at school A or B, linked (or not) to a person record there.</summary>
internal sealed record Principal(string Name, string School, string? Role, string? PersonKey)
{
    public bool IsAnonymous => Role is null && !IsMachine;

    public bool IsMachine => string.Equals(Name, Principals.ApiKey, StringComparison.Ordinal);

    public override string ToString() => Name;
}

internal static class Principals
{
    public const string Anonymous = "anonymous";
    public const string ApiKey = "api-key";

    public static readonly IReadOnlyList<Principal> All =
    [
        new(Anonymous, "A", null, null),
        new("admin", "A", PortalRoles.Admin, null),
        new("dsl", "A", PortalRoles.Dsl, null),
        new("deputy-dsl", "A", PortalRoles.DeputyDsl, null),
        new("head", "A", PortalRoles.Head, null),
        new("computing-lead", "A", PortalRoles.ComputingLead, null),
        new("business-manager", "A", PortalRoles.BusinessManager, null),
        new("it-provider", "A", PortalRoles.ItProvider, null),
        // Issue 15 part 8: the roles that route. The Head of Year has no person record, so no year group: they see no pupils.
        new("head-of-year", "A", PortalRoles.HeadOfYear, null),
        new("senior-leadership", "A", PortalRoles.SeniorLeadership, null),
        new("it-support", "A", PortalRoles.ItSupport, null),
        new("bursar", "A", PortalRoles.Bursar, null),
        new("teacher", "A", PortalRoles.Teacher, "teacher"),
        new("staff", "A", PortalRoles.Staff, null),
        new("parent", "A", PortalRoles.Parent, "parent"),
        new("pupil", "A", PortalRoles.Pupil, "pupil"),
        new("dsl-b", "B", PortalRoles.Dsl, null),
        new("teacher-b", "B", PortalRoles.Teacher, "teacher"),
        new("parent-b", "B", PortalRoles.Parent, "parent"),
    ];

    /// <summary>Installation-wide machine key (MIS sync, filter nodes); not a member of any school.</summary>
    public static readonly Principal Machine = new(ApiKey, "*", null, null);
}
