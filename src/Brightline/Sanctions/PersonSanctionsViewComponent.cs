using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Sanctions;

/// <summary>The "Sanctions" section of the person page: only head, DSL, deputy DSL and admin see it.</summary>
public sealed class PersonSanctionsViewComponent(PortalScope scope, SanctionService sanctions, ParentLetters letters, TimeProvider time) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid personId, string givenName)
    {
        if (scope.SchoolId is not { } school || !scope.HasAnyRole(PortalRoles.SanctionImposers))
        {
            return Content("");
        }

        var list = await sanctions.ForPersonAsync(school, personId, HttpContext.RequestAborted);
        var lastLetter = (await letters.ForPersonAsync(school, personId, HttpContext.RequestAborted))
            .GroupBy(l => l.SanctionId).ToDictionary(g => g.Key, g => g.First());
        return View("~/Pages/Sanctions/_PersonSanctions.cshtml", new PersonSanctionsView(personId, givenName, list, time.GetUtcNow(), lastLetter));
    }
}
