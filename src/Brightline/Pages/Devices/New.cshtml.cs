using Brightline.Data;
using Brightline.Devices;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Brightline.Pages.Devices;

/// <summary>Register a device by hand.</summary>
[Authorize(Roles = PortalRoles.DeviceKeeperNames)]
public sealed class NewModel(PortalScope scope, PolicyStore policies, BrightlineDbContext db, DeviceRegister register) : DeviceFormModel(scope, policies, db)
{
    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadChoicesAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        try
        {
            var device = await register.AddAsync(Scope.RequiredSchoolId, await InputAsync(cancellationToken), Scope.UserName, cancellationToken);
            return Redirect($"/devices/{device.Id}");
        }
        catch (DomainException e) when (e is not NotFoundException and not ForbiddenException)
        {
            return Failed(e);
        }
    }
}
