using Brightline.Custody;
using Brightline.Kernel;
using Brightline.Incidents;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Custody;

/// <summary>One device: its record, the full chain, and the form for the next step (there is no edit form, by design).</summary>
public sealed class DetailModel(PortalScope scope, CustodyService custody) : PageModel
{
    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? ReceiverEmail { get; set; }

    [BindProperty]
    public string? ReceiverPassword { get; set; }

    [BindProperty]
    public string? ExternalName { get; set; }

    [BindProperty]
    public string? ExternalRole { get; set; }

    [BindProperty]
    public string? ExternalBody { get; set; }

    [BindProperty]
    public string? ExternalReference { get; set; }

    [BindProperty]
    public string? StoragePlace { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? WitnessPassword { get; set; }

    public CustodyView? View { get; private set; }

    public string? Error { get; private set; }

    public bool CanSeeOwner { get; private set; }

    public bool CanSeeIncident => scope.HasAnyRole(PortalRoles.SafeguardingReaders);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            await custody.AddStepAsync(CustodyPages.Actor(scope), id, new NewCustodyStep(
                Kind, ReceiverEmail, ReceiverPassword, ExternalName, ExternalRole, ExternalBody, ExternalReference, StoragePlace, Note, WitnessPassword), cancellationToken);
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            View = await custody.FindAsync(scope.RequiredSchoolId, id, cancellationToken);
            return Page();
        }

        return Redirect($"/custody/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        View = await custody.FindAsync(scope.RequiredSchoolId, id, cancellationToken);
        if (View is null
            || (!CustodyPages.ReadsAll(scope) && !await custody.IsInvolvedAsync(id, scope.UserId ?? "", scope.UserName, cancellationToken)))
        {
            return NotFound();
        }

        CanSeeOwner = View.Item.OwnerPersonId is { } owner && await scope.FindPersonAsync(owner, cancellationToken) is not null;
        return null;
    }
}
