using Brightline.Data;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Pages.Devices;

/// <summary>Edit a device's details; the history records what changed, old → new.</summary>
[Authorize(Roles = PortalRoles.DeviceKeeperNames)]
public sealed class EditModel(PortalScope scope, PolicyStore policies, BrightlineDbContext db, DeviceRegister register) : DeviceFormModel(scope, policies, db)
{
    public Guid Id { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var device = await register.FindAsync(Scope.RequiredSchoolId, id, cancellationToken);
        if (device is null)
        {
            return NotFound();
        }

        Id = id;
        await LoadChoicesAsync(cancellationToken);
        await FillAsync(device, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await register.FindAsync(Scope.RequiredSchoolId, id, cancellationToken) is null)
        {
            return NotFound();
        }

        Id = id;
        await LoadChoicesAsync(cancellationToken);
        try
        {
            await register.EditAsync(Scope.RequiredSchoolId, id, await InputAsync(cancellationToken), Scope.UserName, cancellationToken);
            return Redirect($"/devices/{id}");
        }
        catch (DomainException e) when (e is not NotFoundException and not ForbiddenException)
        {
            return Failed(e);
        }
    }
}
