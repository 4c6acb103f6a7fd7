using Brightline.Custody;
using Brightline.Portal;

namespace Brightline.Pages.Custody;

internal static class CustodyPages
{
    public static CustodyActor Actor(PortalScope scope) =>
        new(scope.RequiredSchoolId, scope.UserId ?? throw new Kernel.ForbiddenException("Sign in first."), scope.UserName);

    public static bool ReadsAll(PortalScope scope) => scope.HasAnyRole(PortalRoles.CustodyReaders);
}
