using Brightline.Agreements;
using Brightline.Data.Entities;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Agreements;

[Authorize(Policy = PortalPolicies.Staff)]
public sealed class IndexModel(PortalScope scope, PolicyStore policies, AgreementService agreements) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "agreement")]
    public string? AgreementId { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public int? Sent { get; set; }

    public IReadOnlyList<AgreementStats> Stats { get; private set; } = [];

    public AgreementStats? Selected { get; private set; }

    public Paged<(Person, RequiredAgreement)> Outstanding { get; private set; } = new([], 1, 0);

    public int AwaitingParents { get; private set; }

    public bool CanChase => scope.CanManage;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        var policy = await policies.ActiveAsync(school, cancellationToken);
        var all = await StatusAsync(scope, agreements, school, cancellationToken);
        Stats = policy.Agreements.Select(a =>
        {
            var rows = all.Where(x => string.Equals(x.Required.AgreementId, a.Id, StringComparison.Ordinal)).Select(x => x.Required).ToList();
            return new AgreementStats(a, rows.Count, rows.Count(r => r.State == AgreementState.Signed), rows.Count(r => r.State == AgreementState.Due),
                rows.Count(r => r.State == AgreementState.Overdue), rows.Count(r => r.NeedsParent && !r.ParentSigned));
        }).ToList();
        AwaitingParents = Stats.Sum(s => s.AwaitingParent);
        Selected = AgreementId is null ? null : Stats.FirstOrDefault(s => string.Equals(s.Agreement.Id, AgreementId, StringComparison.Ordinal));
        if (Selected is not null)
        {
            var outstanding = all
                .Where(x => string.Equals(x.Required.AgreementId, Selected.Agreement.Id, StringComparison.Ordinal) && x.Required.State != AgreementState.Signed)
                .OrderByDescending(x => x.Required.State).ThenBy(x => x.Person.FamilyName, StringComparer.Ordinal).ToList();
            var page = PortalHtml.ClampPage(PageNumber);
            Outstanding = new Paged<(Person, RequiredAgreement)>(
                outstanding.Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).Select(x => (x.Person, x.Required)).ToList(), page, outstanding.Count);
        }
    }

    public string OutstandingLink(int page) =>
        $"/agreements?agreement={Uri.EscapeDataString(AgreementId ?? "")}&p={page}#outstanding";

    /// <summary>Every current person in the user's scope with each agreement they need (computed, not stored).</summary>
    public static async Task<IReadOnlyList<(Person Person, RequiredAgreement Required)>> StatusAsync(
        PortalScope scope, AgreementService agreements, string school, CancellationToken cancellationToken)
    {
        var people = await (await scope.PeopleAsync(cancellationToken)).AsNoTracking().Where(p => p.LeftOn == null).ToListAsync(cancellationToken);
        var result = new List<(Person, RequiredAgreement)>();
        foreach (var person in people)
        {
            foreach (var required in await agreements.ForPersonAsync(school, person.Id, cancellationToken))
            {
                result.Add((person, required));
            }
        }

        return result;
    }
}
