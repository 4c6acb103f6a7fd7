using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Leavers;

/// <summary>The dashboard's line "leavers with equipment outstanding" (C19), for the device keepers only.</summary>
public sealed class LeaversOutstandingViewComponent(PortalScope scope, LeaversService leavers) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (scope.SchoolId is not { } school || !scope.HasAnyRole(PortalRoles.DeviceKeepers))
        {
            return Content("");
        }

        var count = await leavers.OutstandingCountAsync(school, HttpContext.RequestAborted);
        return count == 0 ? Content("") : View("~/Pages/Leavers/_Outstanding.cshtml", count);
    }
}
