using Brightline.Approvals;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Approvals;

/// <summary>A new request of one policy-defined type: only the fields that type needs, its written agreement and its time limit.</summary>
public sealed class NewModel(PortalScope scope, PolicyStore policies, ApprovalService approvals) : PageModel
{
    /// <summary>Lengths offered, so nobody has to type a duration; only those within the type's maximum are shown.</summary>
    private static readonly TimeSpan[] s_lengths =
    [
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(45), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
        TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30), TimeSpan.FromDays(90), TimeSpan.FromDays(180), TimeSpan.FromDays(365),
    ];

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public Guid? Subject { get; set; }

    [BindProperty]
    public string? RuleId { get; set; }

    /// <summary>O3, W4: the filtering category an exemption relaxes (optional when the type names exactly one).</summary>
    [BindProperty]
    public string? Category { get; set; }

    [BindProperty]
    public string? Host { get; set; }

    /// <summary>access_change (O5): the portal role asked for; empty when the request describes other access.</summary>
    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? Detail { get; set; }

    [BindProperty]
    public int? Minutes { get; set; }

    [BindProperty]
    public int? Vouchers { get; set; }

    [BindProperty]
    public bool Accept { get; set; }

    [BindProperty]
    public string? SignedName { get; set; }

    public ApprovalType? Definition { get; private set; }

    public SchoolPolicy Policy { get; private set; } = null!;

    public IReadOnlyList<Person> People { get; private set; } = [];

    public IReadOnlyList<TimeSpan> Lengths { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            var created = await approvals.RequestAsync(scope.RequiredSchoolId,
                new NewApproval(Definition!.Id, Reason, Subject, RuleId, Host, Detail, Minutes, Vouchers, Accept, SignedName, Category, Role),
                ApprovalActor.From(scope), cancellationToken);
            return Redirect($"/approvals/{created.Id}");
        }
        catch (DomainException e) when (e is not NotFoundException and not ForbiddenException)
        {
            Error = e.Message;
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        Policy = await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken);
        Definition = ApprovalSettings.From(Policy).Find(Type);
        if (Definition is null)
        {
            return NotFound();
        }

        if (!ApprovalService.Holds(ApprovalActor.From(scope), Definition.Requesters, Policy))
        {
            return Forbid();
        }

        Lengths = s_lengths.Where(l => l <= Definition.MaxDuration).Append(Definition.DefaultDuration).Append(Definition.MaxDuration).Distinct().Order().ToList();
        Minutes ??= (int)Definition.DefaultDuration.TotalMinutes;
        if (Definition.Kind is ApprovalKinds.OfficialCapacity or ApprovalKinds.EmailInspection or ApprovalKinds.Exemption or ApprovalKinds.AccessChange)
        {
            var pupilOrStaff = PersonGroups.Mask(PersonKind.Pupil, PersonKind.Staff);
            var people = (await scope.PeopleAsync(cancellationToken)).AsNoTracking().Where(p => p.LeftOn == null);
            if (Definition.Kind == ApprovalKinds.OfficialCapacity)
            {
                people = people.Where(p => (p.KindMask & pupilOrStaff) == 0);
            }

            People = await people.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).Take(2000).ToListAsync(cancellationToken);
        }

        return null;
    }
}
