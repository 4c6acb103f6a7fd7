using Brightline.Data.Entities;
using Brightline.Hosting;
using Brightline.Incidents;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Incidents;

/// <summary>Record an incident: any member of staff may; it opens with its first timeline entry.</summary>
public sealed class NewModel(PortalScope scope, IncidentService incidents) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Person { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? RuleIds { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public Person? Subject { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            var rules = (RuleIds ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var incident = await incidents.CreateAsync(
                new NewIncident(scope.RequiredSchoolId, Kind, Title, Subject is null ? [] : [Subject.Id], rules, Text, scope.UserName), cancellationToken);
            return Redirect($"/incidents/{incident.Id}");
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        if (Person is { } id)
        {
            Subject = await scope.FindPersonAsync(id, cancellationToken);
            if (Subject is null)
            {
                return NotFound();
            }
        }

        return null;
    }
}
