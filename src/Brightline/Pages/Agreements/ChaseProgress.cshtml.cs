using Brightline.Agreements;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Agreements;

/// <summary>
/// A chase's progress while it sends, and what it did when done (issue 17 defect 7: work over a second shows
/// progress). Reloading it only reads; the portal script refreshes the status region in place.
/// </summary>
[Authorize(Policy = PortalPolicies.Managers)]
public sealed class ChaseProgressModel(PortalScope scope, ChaseRuns runs) : PageModel
{
    public ChaseRun Run { get; private set; } = null!;

    public IActionResult OnGet(Guid run)
    {
        if (runs.Find(scope.RequiredSchoolId, run) is not { } found)
        {
            // Unknown here: another school's run, or one from before a restart (the audit log records what it sent).
            return NotFound();
        }

        Run = found;
        return Page();
    }
}
