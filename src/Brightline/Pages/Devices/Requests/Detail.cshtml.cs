using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DeviceRequests;
using Brightline.Kernel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Devices.Requests;

/// <summary>
/// One request: what was asked, the attestations, the decision; approve or refuse (confirmed; a refusal needs a note) for
/// those who may decide; withdraw or renew for the asker; withdraw an approval in force early (confirmed, with a reason)
/// for an approver.
/// </summary>
public sealed class DetailModel(DeviceRequestService requests, BrightlineDbContext db) : PageModel
{
    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    public DeviceRequest? Item { get; private set; }

    public Person? Person { get; private set; }

    public Device? Device { get; private set; }

    public bool CanDecide { get; private set; }

    public bool CanWithdraw { get; private set; }

    public bool CanRenew { get; private set; }

    public bool CanWithdrawApproval { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    public IReadOnlyList<string> Approvers { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, true, cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(Guid id, CancellationToken cancellationToken) => DecideAsync(id, false, cancellationToken);

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            await requests.WithdrawAsync(await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken), id, cancellationToken);
            return Redirect($"/devices/requests/{id}");
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }
    }

    /// <summary>H3, W3, F5: an approver ends an approval early; the device is withdrawn and disconnected as on expiry.</summary>
    public async Task<IActionResult> OnPostWithdrawApprovalAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            if (!Confirm)
            {
                throw new InvalidException("Tick the box to confirm the approval is to be withdrawn: the device is taken off the network at once.");
            }

            await requests.WithdrawApprovalAsync(await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken), id, Reason, cancellationToken);
            return Redirect($"/devices/requests/{id}");
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }
    }

    private async Task<IActionResult> DecideAsync(Guid id, bool approve, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            if (!Confirm)
            {
                throw new InvalidException(approve ? "Tick the box to confirm you have checked the request before approving it." : "Tick the box to confirm the refusal.");
            }

            await requests.DecideAsync(await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken), id, approve, Note, cancellationToken);
            return Redirect($"/devices/requests/{id}");
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var actor = await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken);
        Item = await requests.FindAsync(actor.SchoolId, id, cancellationToken);
        if (Item is null || !await requests.MayReadAsync(actor, Item, cancellationToken))
        {
            return NotFound();
        }

        Person = await db.People.AsNoTracking().FirstAsync(p => p.Id == Item.PersonId, cancellationToken);
        Device = Item.DeviceId is { } d ? await db.Set<Device>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == d, cancellationToken) : null;
        Approvers = await requests.ApproversForAsync(Item, cancellationToken);
        CanDecide = await requests.MayDecideAsync(actor, Item, cancellationToken);
        var mine = string.Equals(Item.RequestedByUserId, actor.UserId, StringComparison.Ordinal) || Item.PersonId == actor.PersonId;
        CanWithdraw = mine && Item.State == DeviceRequestState.Pending;
        CanWithdrawApproval = await requests.MayWithdrawApprovalAsync(actor, Item, cancellationToken);
        CanRenew = (mine || (await requests.RelationshipAsync(actor, Person, cancellationToken)) is not null) && await requests.RenewableAsync(Item, cancellationToken);
        return null;
    }
}
