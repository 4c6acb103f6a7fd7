using Brightline.LostProperty;
using Brightline.Portal;

namespace Brightline.Pages.LostProperty;

internal static class LostPropertyPages
{
    public static LostPropertyActor Actor(PortalScope scope) =>
        new(scope.RequiredSchoolId, scope.UserId ?? throw new Kernel.ForbiddenException("Sign in first."), scope.UserName, scope.PersonId);

    public static bool IsKeeper(PortalScope scope) => scope.HasAnyRole(PortalRoles.DeviceKeepers);
}
