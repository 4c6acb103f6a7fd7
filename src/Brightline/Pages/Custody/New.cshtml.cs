using Brightline.Custody;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Custody;

/// <summary>Record a device taken or handed in: any member of staff, signing with their own password.</summary>
public sealed class NewModel(PortalScope scope, CustodyService custody, BrightlineDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? Incident { get; set; }

    /// <summary>Whose device, typed (admission number, staff code or full name) when the form was not opened from a person's page.</summary>
    [BindProperty]
    public string? OwnerText { get; set; }

    [BindProperty]
    public string? Origin { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? SerialOrTag { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? StoragePlace { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public Person? OwnerPerson { get; private set; }

    /// <summary>The person picker for the owner, when the form was not opened from the owner's page.</summary>
    public PersonPickerField Picker { get; private set; } = null!;

    public Incident? IncidentRecord { get; private set; }

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
            if (OwnerPerson is null && !string.IsNullOrWhiteSpace(OwnerText))
            {
                // The picker searches the people this member of staff may see; a device can belong to any pupil, so
                // an exact admission number or full name from elsewhere in the school still finds its owner.
                var pick = await PersonSearch.ResolveAsync(await scope.PeopleAsync(cancellationToken), null, OwnerText, cancellationToken);
                if (pick.Candidates.Count > 0)
                {
                    Picker = Picker with { Candidates = pick.Candidates, Error = pick.Error };
                    Error = pick.Error;
                    return Page();
                }

                OwnerPerson = pick.Person ?? await PersonLookup.FindOneAsync(db, scope.RequiredSchoolId, OwnerText, cancellationToken);
            }

            var item = await custody.RecordAsync(CustodyPages.Actor(scope),
                new NewCustodyItem(Description, SerialOrTag, OwnerPerson?.Id, IncidentRecord?.Id, Origin, Reason, StoragePlace, null, Password), cancellationToken);
            return Redirect($"/custody/{item.Id}");
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

        if (Owner is { } owner && (OwnerPerson = await scope.FindPersonAsync(owner, cancellationToken)) is null)
        {
            return NotFound();
        }

        Picker = new PersonPickerField("Owner", "Whose device it is", "Type part of the name, the class or the admission number; leave empty if not known.",
            OwnerText, null, []);

        if (Incident is { } incident)
        {
            IncidentRecord = await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(i => i.SchoolId == scope.RequiredSchoolId && i.Id == incident, cancellationToken);
            if (IncidentRecord is null)
            {
                return NotFound();
            }
        }

        return null;
    }
}
