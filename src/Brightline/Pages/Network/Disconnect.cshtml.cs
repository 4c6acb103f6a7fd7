using Brightline.Data.Entities;
using Brightline.Network;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Network;

/// <summary>
/// Disconnecting one network session: the session shown, then an explicit confirmation (a box to tick; nothing is
/// disconnected by following a link or by a default), then what the network answered. Every attempt is audited with
/// who asked. A session of another school is not found.
/// </summary>
[Authorize(Roles = PortalRoles.NetworkStaffNames)]
public sealed class DisconnectModel(PortalScope scope, NetworkSessions sessions, StaffDisconnects disconnects) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    public NetworkSession? Session { get; private set; }

    /// <summary>The person's name, when the viewer may see them; otherwise the page shows the user name.</summary>
    public string? PersonName { get; private set; }

    public DisconnectResult? Result { get; private set; }

    public string Who => PersonName ?? Session?.UserName ?? "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), $"Tick the box to confirm that {Who}'s session should be disconnected.");
            return Page();
        }

        Result = await disconnects.DisconnectAsync(scope.RequiredSchoolId, Id, scope.UserName, scope.ClientAddress, cancellationToken);
        if (Result == DisconnectResult.NotFound)
        {
            return NotFound();
        }

        // Read again: a disconnect that worked has ended the session.
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        Session = await sessions.FindAsync(scope.RequiredSchoolId, Id, cancellationToken);
        if (Session is null)
        {
            return false;
        }

        var names = await NetworkNames.ForAsync(scope, [Session.PersonId], cancellationToken);
        PersonName = Session.PersonId is { } person && names.TryGetValue(person, out var name) ? name : null;
        return true;
    }
}
