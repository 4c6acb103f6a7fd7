using Brightline.Access;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.Sanctions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Sanctions;

/// <summary>One sanction: its record, recording the parents' meeting, and lifting it with a reason.</summary>
public sealed class DetailModel(PortalScope scope, SanctionService sanctions, ParentLetters parentLetters, TimeProvider time) : PageModel
{
    public Sanction? Sanction { get; private set; }

    public Person? Subject { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The letters to parents about this sanction, newest first (issue 15 part 6).</summary>
    public IReadOnlyList<SanctionLetter> Letters { get; private set; } = [];

    /// <summary>Whether the policy tells parents about this kind (always or offer), so the page offers to send the letter.</summary>
    public TellParents TellParents { get; private set; }

    public bool Active => Sanction is { } s && SanctionRules.IsActive(s, time.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public Task<IActionResult> OnPostLiftAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, () => sanctions.LiftAsync(scope.RequiredSchoolId, id, reason, scope.UserName, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostMeetingAsync(Guid id, string? note, CancellationToken cancellationToken) =>
        ActAsync(id, () => sanctions.RecordMeetingAsync(scope.RequiredSchoolId, id, note, scope.UserName, cancellationToken), cancellationToken);

    /// <summary>Sends the policy's letter to the child's parents (a kind the policy offers it for, or a second copy).</summary>
    public Task<IActionResult> OnPostLetterAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, async () =>
        {
            await parentLetters.SendAsync(scope.RequiredSchoolId, id, scope.UserName, cancellationToken);
            return Sanction!;
        }, cancellationToken, "#letters");

    private async Task<IActionResult> ActAsync(Guid id, Func<Task<Sanction>> action, CancellationToken cancellationToken, string fragment = "")
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

        return Redirect($"/sanctions/{id}{fragment}");
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
        if (Subject is null)
        {
            return NotFound();
        }

        var personLetters = await parentLetters.ForPersonAsync(scope.RequiredSchoolId, Subject.Id, cancellationToken);
        Letters = personLetters.Where(l => l.SanctionId == Sanction.Id).ToList();
        TellParents = (await sanctions.ProvidedAsync(scope.RequiredSchoolId, cancellationToken)).UseOf(Sanction.Kind).TellParents;
        return null;
    }
}
