using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Incidents;

/// <summary>The dashboard's reminder of data-breach decisions still to make (O6, F4), for the readers of that register only.</summary>
public sealed class IncidentDeadlinesViewComponent(PortalScope scope, IncidentService incidents, TimeProvider time) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (scope.SchoolId is not { } school || !scope.IsStaff)
        {
            return Content("");
        }

        var due = await incidents.DecisionsDueAsync(school, IncidentActor.From(scope), HttpContext.RequestAborted);
        return due.Count == 0 ? Content("") : View("~/Pages/Incidents/_Deadlines.cshtml", new IncidentDeadlinesView(due, time.GetUtcNow()));
    }
}
