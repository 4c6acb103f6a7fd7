using Brightline.Agreements;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Agreements;

/// <summary>
/// A chase's progress while it sends, and what it did when done (issue 17 defect 7: work over a second shows
/// progress). It reads the run's row, so any portal node answers it (issue 18 part 3). Reloading it only reads, except
/// that a run whose node went silent is marked stopped; the portal script refreshes the status region in place.
/// </summary>
[Authorize(Policy = PortalPolicies.Managers)]
public sealed class ChaseProgressModel(PortalScope scope, ChaseRuns runs) : PageModel
{
    public ChaseRun Run { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid run, CancellationToken cancellationToken)
    {
        if (await runs.FindAsync(scope.RequiredSchoolId, run, cancellationToken) is not { } found)
        {
            // Another school's run, or one finished long enough ago to be deleted (the audit log records what it sent).
            return NotFound();
        }

        Run = found;
        return Page();
    }
}
