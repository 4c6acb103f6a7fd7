using Brightline.Access;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Brightline.Sanctions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Sanctions;

/// <summary>One sanction: its record, recording the parents' meeting, and lifting it with a reason.</summary>
public sealed class DetailModel(PortalScope scope, SanctionService sanctions, TimeProvider time) : PageModel
{
    public Sanction? Sanction { get; private set; }

    public Person? Subject { get; private set; }

    public string? Error { get; private set; }

    public bool Active => Sanction is { } s && SanctionRules.IsActive(s, time.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public Task<IActionResult> OnPostLiftAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, () => sanctions.LiftAsync(scope.RequiredSchoolId, id, reason, scope.UserName, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostMeetingAsync(Guid id, string? note, CancellationToken cancellationToken) =>
        ActAsync(id, () => sanctions.RecordMeetingAsync(scope.RequiredSchoolId, id, note, scope.UserName, cancellationToken), cancellationToken);

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<Sanction>> action, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            await action();
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }

        return Redirect($"/sanctions/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.SanctionImposers))
        {
            return Forbid();
        }

        try
        {
            Sanction = await sanctions.FindAsync(scope.RequiredSchoolId, id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        Subject = await scope.FindPersonAsync(Sanction.PersonId, cancellationToken);
        return Subject is null ? NotFound() : null;
    }
}
