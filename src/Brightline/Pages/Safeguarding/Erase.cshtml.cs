using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Brightline.Monitoring;

namespace Brightline.Pages.Safeguarding;

/// <summary>Deleting one person's monitoring data on request, after a confirmation (DSL or headteacher).</summary>
public sealed class EraseModel(MonitoringErasure erasure, BrightlineDbContext db, Brightline.Portal.PortalScope scope) : PageModel
{
    private string School => scope.RequiredSchoolId;

    [BindProperty(SupportsGet = true)] public Guid PersonId { get; set; }
    [BindProperty] public bool Confirm { get; set; }

    public Person? Person { get; private set; }

    public ErasureCounts? Counts { get; private set; }

    public ErasureCounts? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!erasure.CanErase)
        {
            return Forbid();
        }

        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), "Tick the box to confirm that this person's monitoring data should be deleted.");
            return await ShowAsync(cancellationToken);
        }

        try
        {
            Done = await erasure.EraseAsync(PersonId, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (!erasure.CanErase)
        {
            return Forbid();
        }

        Person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == PersonId && p.SchoolId == School, cancellationToken);
        if (Person is null)
        {
            return NotFound();
        }

        Counts = await erasure.PreviewAsync(PersonId, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
