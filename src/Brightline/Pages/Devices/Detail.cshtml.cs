using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Devices;

/// <summary>
/// One device: its details with the assigned person's name, MACs, attestations (who, when) and what the policy's
/// school-device rules still want (C16, C17), its whole history, and forms to attest and to change its state —
/// disposal asks for the data wipe record and a confirmation, and is final.
/// </summary>
[Authorize(Roles = PortalRoles.DeviceKeeperNames)]
public sealed class DetailModel(PortalScope scope, PolicyStore policies, DeviceRegister register, BrightlineDbContext db) : PageModel
{
    /// <summary>The states a keeper sets here; on loan is the loan book's, lost and stolen the report's, found and custody lost property's.</summary>
    public static readonly IReadOnlyList<DeviceState> Settable = [DeviceState.InUse, DeviceState.InRepair, DeviceState.Withdrawn, DeviceState.Disposed];

    public Device Device { get; private set; } = null!;
    public string? PersonName { get; private set; }
    public IReadOnlyList<DeviceAttestation> Attestations { get; private set; } = [];
    public IReadOnlyList<(string Key, string? Requirement)> Missing { get; private set; } = [];
    public IReadOnlyList<DeviceHistoryEntry> History { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Done { get; private set; }

    [BindProperty] public string? NewState { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? DataWipe { get; set; }
    [BindProperty] public bool ConfirmDisposal { get; set; }
    [BindProperty] public string? AttestKind { get; set; }
    [BindProperty] public bool AttestConfirmed { get; set; } = true;
    [BindProperty] public string? AttestNote { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken cancellationToken)
    {
        Done = done switch { "state" => "The device's state was changed.", "attested" => "The attestation was recorded.", _ => null };
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostStateAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            var state = DeviceStates.Words.TryParse(NewState, out var s) && Settable.Contains(s) ? s : throw new InvalidException("Choose the device's new state.");
            if (state == DeviceState.Disposed && !ConfirmDisposal)
            {
                throw new InvalidException("Tick the box to confirm the disposal: a disposed-of device cannot be brought back.");
            }

            await register.ChangeStateAsync(scope.RequiredSchoolId, id, state, scope.UserName, Note, cancellationToken, DataWipe);
            return Redirect($"/devices/{id}?done=state");
        }
        catch (DomainException e) when (e is InvalidException or ConflictException)
        {
            Error = e.Message;
            return Page();
        }
    }

    public async Task<IActionResult> OnPostAttestAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            await register.AttestAsync(scope.RequiredSchoolId, id, AttestKind, AttestConfirmed, AttestNote, scope.UserName, cancellationToken);
            return Redirect($"/devices/{id}?done=attested");
        }
        catch (InvalidException e)
        {
            Error = e.Message;
            return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        if (await register.FindAsync(school, id, cancellationToken) is not { } device)
        {
            return false;
        }

        Device = device;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        PersonName = device.PersonId is { } p
            ? await db.People.AsNoTracking().Where(x => x.SchoolId == school && x.Id == p).Select(x => x.GivenName + " " + x.FamilyName).FirstOrDefaultAsync(cancellationToken)
            : null;
        Attestations = await register.AttestationsAsync(school, id, cancellationToken);
        Missing = DeviceSafety.Missing(policy.Devices, device, Attestations);
        History = await register.HistoryAsync(school, id, cancellationToken);
        return true;
    }
}
