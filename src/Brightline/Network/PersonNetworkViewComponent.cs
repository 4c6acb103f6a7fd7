using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Network;

/// <summary>The "Network" section of the person page (issue 13, point 6): only the staff who may see the Network page see it.</summary>
public sealed class PersonNetworkViewComponent(PortalScope scope, NetworkSessions sessions, NetworkRejects rejects) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid personId, string givenName)
    {
        if (scope.SchoolId is not { } school || !scope.HasAnyRole(PortalRoles.NetworkStaff))
        {
            return Content("");
        }

        var cancellationToken = HttpContext.RequestAborted;
        var live = await sessions.LiveForPersonAsync(school, personId, cancellationToken);
        var last = await rejects.LastForPersonAsync(school, personId, cancellationToken);
        return View("~/Pages/Network/_PersonNetwork.cshtml", new PersonNetworkView(personId, givenName, live, last));
    }
}
