using Brightline.Agreements;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Agreements;

/// <summary>
/// Mass email needs a confirmation step showing how many will go, so nobody sends 300 emails by a stray click. The
/// number shown is the plan the send uses (issue 17 defect 7); if the plan changed before "Send" was pressed, nothing
/// is sent and the page says so. Reached from "Chase parents" (everyone) or "Chase selected" (children ticked on an
/// agreement's outstanding list, passed as <c>child</c>).
/// </summary>
[Authorize(Policy = PortalPolicies.Managers)]
public sealed class ChaseModel(PortalScope scope, AgreementService agreements, ChaseRuns runs) : PageModel
{
    public const int NamesShown = 50;

    [BindProperty(SupportsGet = true, Name = "child")]
    public List<Guid> Children { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "agreement")]
    public string? AgreementId { get; set; }

    /// <summary>This confirmation's own key: sending it twice finds the run already started.</summary>
    [BindProperty(Name = "key")]
    public Guid Key { get; set; }

    /// <summary>The plan the confirmation showed, to tell whether it changed before the send.</summary>
    [BindProperty(Name = "expected")]
    public string? Expected { get; set; }

    [BindProperty(Name = "count")]
    public int ExpectedCount { get; set; }

    public ChasePlan Plan { get; private set; } = new([], 0, []);

    /// <summary>Set when the list changed between the confirmation and the send: the number the person confirmed.</summary>
    public int? ChangedFrom { get; private set; }

    public bool Selected => Children.Count > 0;

    /// <summary>A ticked child who has since left, signed or been removed is not chased; the page says how many.</summary>
    public int SelectedNotWaiting { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await runs.SendingAsync(scope.RequiredSchoolId, cancellationToken) is { } busy)
        {
            return Redirect($"/agreements/chase/{busy.Id}");
        }

        await PlanAsync(cancellationToken);
        Key = Guid.NewGuid();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        if (await runs.FindAsync(school, Key, cancellationToken) is { } already)
        {
            // The same confirmation again (double click, refresh, back button): watch the run, send nothing more.
            return Redirect($"/agreements/chase/{already.Id}");
        }

        await PlanAsync(cancellationToken);
        if (Key == Guid.Empty || !string.Equals(Expected, Plan.Fingerprint, StringComparison.Ordinal))
        {
            ChangedFrom = ExpectedCount;
            Key = Guid.NewGuid();
            return Page();
        }

        if (Plan.Letters.Count == 0)
        {
            return Redirect("/agreements");
        }

        var (run, _) = await runs.StartRunAsync(Key, school, scope.UserName, Plan, cancellationToken);
        return Redirect($"/agreements/chase/{run.Id}");
    }

    private async Task PlanAsync(CancellationToken cancellationToken)
    {
        var selection = Children.Count == 0 ? null : new ChaseSelection(Children.ToHashSet(), string.IsNullOrWhiteSpace(AgreementId) ? null : AgreementId);
        Plan = await agreements.PlanChaseAsync(scope.RequiredSchoolId, selection, cancellationToken);
        if (selection is not null)
        {
            var waiting = Plan.Letters.SelectMany(l => l.Items).Select(i => i.Child.Id).Concat(Plan.Unreachable.Select(c => c.Id)).ToHashSet();
            SelectedNotWaiting = selection.Children.Count(c => !waiting.Contains(c));
        }
    }
}
