using Brightline.Kernel;
using Brightline.Portal;
using Brightline.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Reports;

/// <summary>The stored review packs, and (for the head and safeguarding leads) running a new review.</summary>
public sealed class ReviewModel(PortalScope scope, ReviewPackService packs, TimeProvider time) : PageModel
{
    [BindProperty]
    public DateOnly? From { get; set; }

    [BindProperty]
    public DateOnly? To { get; set; }

    [BindProperty]
    public string? Actions { get; set; }

    /// <summary>Why the pack is stored although the self-test did not run (asked only after that refusal).</summary>
    [BindProperty]
    public string? WithoutSelfTestBecause { get; set; }

    /// <summary>The self-test did not run: the form asks for the reason before the pack can be stored.</summary>
    public bool AskWhyWithoutSelfTest { get; private set; }

    public IReadOnlyList<ReviewPackRow> Packs { get; private set; } = [];

    public bool CanCreate => scope.HasAnyRole(PortalRoles.ReviewPackCreators);

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.ReviewPackReaders))
        {
            return Forbid();
        }

        var year = ReportPeriods.LastYear(SchoolClock.Today(time));
        From ??= year.Start;
        To ??= year.End;
        Packs = await packs.ListAsync(scope.RequiredSchoolId, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanCreate)
        {
            return Forbid();
        }

        try
        {
            if (From is not { } from || To is not { } to || to < from)
            {
                throw new InvalidException("Give the first and last dates the review looks back over, the first before the last.");
            }

            await packs.CreateAsync(scope.RequiredSchoolId, new ReportPeriod(from, to, "Review"), Actions, scope.UserName, cancellationToken, WithoutSelfTestBecause);
            return Redirect("/reports/review");
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            AskWhyWithoutSelfTest = e.Title == ReviewPackService.SelfTestDidNotRun || !string.IsNullOrWhiteSpace(WithoutSelfTestBecause);
            Packs = await packs.ListAsync(scope.RequiredSchoolId, cancellationToken);
            return Page();
        }
    }
}
