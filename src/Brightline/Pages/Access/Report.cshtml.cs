using Brightline.Access;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Access;

/// <summary>O17: report access granted in error about one person; recorded as a security incident the policy routes.</summary>
[Authorize(Roles = AccessRightsRegister.ReaderNames)]
public sealed class ReportModel(PortalScope scope, AccessRightsRegister register, Brightline.Data.BrightlineDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Person { get; set; }
    [BindProperty] public string? What { get; set; }

    public Person? Subject { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Subject = await FindAsync(cancellationToken);
        return Subject is null ? NotFound() : Page();
    }

    /// <summary>The register's readers read the whole school's register (IT provider and IT support included), so the person is looked up at the school, never beyond it.</summary>
    private Task<Person?> FindAsync(CancellationToken cancellationToken) =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.People), p => p.SchoolId == scope.RequiredSchoolId && p.Id == Person, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Subject = await FindAsync(cancellationToken);
        if (Subject is null)
        {
            return NotFound();
        }

        try
        {
            var incident = await register.ReportAsync(scope.RequiredSchoolId, Person, What, IncidentActor.From(scope), cancellationToken);
            return Redirect(PortalHtml.Link("/access-rights", ("q", Subject.FullName), ("reported", incident.Id.ToString())));
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }
    }
}
