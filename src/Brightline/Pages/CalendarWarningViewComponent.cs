using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Pages;

/// <summary>
/// The dashboard's warning that the policy's calendar is running out (issue 15): the same words `policy check` prints,
/// shown to those who keep the policy (head, computing lead, admin). Nothing when there is time or no policy.
/// </summary>
public sealed class CalendarWarningViewComponent(PortalScope scope, PolicyStore policies, TimeProvider time) : ViewComponent
{
    private static readonly string[] s_keepers = [PortalRoles.Head, PortalRoles.ComputingLead, PortalRoles.Admin];

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (scope.SchoolId is not { } school || !scope.HasAnyRole(s_keepers))
        {
            return Content("");
        }

        try
        {
            var policy = await policies.ActiveAsync(school, HttpContext.RequestAborted);
            var warning = policy.School.Calendar.RunsOutWarning(SchoolClock.Today(time));
            return warning is null ? Content("") : View("~/Pages/Policies/_CalendarWarning.cshtml", warning);
        }
        catch (NotFoundException)
        {
            return Content("");
        }
    }
}
