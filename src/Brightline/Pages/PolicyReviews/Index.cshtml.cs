using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.PolicyReviews;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.PolicyReviews;

/// <summary>The policy's review cycle (W12, O23, C22): where it stands, every review and approval recorded, and the form to record one.</summary>
[Authorize(Roles = PortalRoles.PolicyReviewReaderNames)]
public sealed class IndexModel(PortalScope scope, PolicyReviewLog reviews, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public DateOnly? On { get; set; }

    [BindProperty]
    public string? By { get; set; }

    [BindProperty]
    public string? MinuteReference { get; set; }

    [BindProperty]
    public DateOnly? NextReview { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Recorded { get; set; }

    public PolicyReviewStatus? Status { get; private set; }

    public IReadOnlyList<PolicyReviewRecord> Records { get; private set; } = [];

    /// <summary>W10: weaknesses reported since the last review or approval, for the next review to consider.</summary>
    public IReadOnlyList<PolicyReviewRecord> OpenWeaknesses { get; private set; } = [];

    public bool CanRecord => scope.HasAnyRole(PortalRoles.PolicyReviewRecorders);

    /// <summary>True when the form posted was the weakness report (refused, it shows again with what was typed).</summary>
    public bool WeaknessPosted => string.Equals(Kind, PolicyReviewKinds.Weakness, StringComparison.Ordinal);

    public string? Error { get; private set; }

    public string? ErrorField { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanRecord)
        {
            return Forbid();
        }

        try
        {
            await reviews.RecordAsync(scope.RequiredSchoolId, new NewPolicyReview(Kind, On, By, MinuteReference, NextReview, Note), scope.UserName, cancellationToken);
            return Redirect(WeaknessPosted ? "/policy/review?recorded=true#weaknesses" : "/policy/review?recorded=true");
        }
        catch (InvalidException e)
        {
            Error = e.Message;
            ErrorField = e.Field;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        Status = await reviews.StatusAsync(school, cancellationToken);
        Records = await reviews.ListAsync(school, cancellationToken);
        OpenWeaknesses = await reviews.OpenWeaknessesAsync(school, cancellationToken);
        // Sensible defaults for the review form: the approver the policy names and today. A weakness report that was
        // refused keeps what was typed (its own form has no default reporter: blank means the person recording).
        if (!WeaknessPosted)
        {
            By ??= Status.Metadata.Approver;
        }

        On ??= SchoolClock.Today(time);
        Kind ??= PolicyReviewKinds.Approved;
    }
}
