using Brightline.Hosting;
using Brightline.Incidents;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Incidents;

/// <summary>An incident and its timeline. Head, DSL, deputy DSL and admin read every incident; others only those they recorded.</summary>
public sealed class DetailModel(PortalScope scope, IncidentService incidents) : PageModel
{
    public IncidentView? View { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, string? text, long? corrects, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            await incidents.AddEntryAsync(scope.RequiredSchoolId, id, text, corrects, scope.UserName, cancellationToken);
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }

        return Redirect($"/incidents/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        View = await incidents.FindAsync(scope.RequiredSchoolId, id, cancellationToken);
        if (View is null)
        {
            return NotFound();
        }

        var mayRead = scope.HasAnyRole(IncidentKinds.Readers) || string.Equals(View.Incident.CreatedBy, scope.UserName, StringComparison.Ordinal);
        return mayRead ? null : Forbid();
    }
}
