using Brightline.Approvals;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Approvals;

/// <summary>
/// One approval: what was asked, the signed agreement, its history, vouchers; approve, decline (with a reason)
/// and end it early (with a reason). Declining and ending ask for a tick to confirm before anything changes.
/// </summary>
public sealed class DetailModel(PortalScope scope, BrightlineDbContext db, PolicyStore policies, ApprovalService approvals, TimeProvider time, Brightline.People.RoleCoverage coverage) : PageModel
{
    /// <summary>
    /// For a pending request that no account can decide: the deciding roles (described), each with the people the school
    /// names for it (issue 17, defect 2b). Empty when someone can decide it.
    /// </summary>
    public IReadOnlyList<(string Role, string Key, IReadOnlyList<string> Names)> NobodyToDecide { get; private set; } = [];

    public bool IsAdmin => scope.IsAdmin;

    public ApprovalRequest? Approval { get; private set; }

    public ApprovalType? Definition { get; private set; }

    public IReadOnlyList<ApprovalDecision> History { get; private set; } = [];

    public IReadOnlyList<WifiVoucher> Vouchers { get; private set; } = [];

    public string? SubjectName { get; private set; }

    public string? RuleText { get; private set; }

    public bool CanDecide { get; private set; }

    public bool CanEnd { get; private set; }

    public bool InForce { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken) ?? Page();

    public Task<IActionResult> OnPostApproveAsync(Guid id, string? note, CancellationToken cancellationToken) =>
        ActAsync(id, true, () => approvals.ApproveAsync(scope.RequiredSchoolId, id, note, ApprovalActor.From(scope), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostDeclineAsync(Guid id, string? reason, bool confirm, CancellationToken cancellationToken) =>
        ActAsync(id, confirm, () => approvals.DeclineAsync(scope.RequiredSchoolId, id, reason, ApprovalActor.From(scope), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostEndAsync(Guid id, string? reason, bool confirm, CancellationToken cancellationToken) =>
        ActAsync(id, confirm, () => approvals.RevokeAsync(scope.RequiredSchoolId, id, reason, ApprovalActor.From(scope), cancellationToken), cancellationToken);

    private async Task<IActionResult> ActAsync(Guid id, bool confirmed, Func<Task<ApprovalRequest>> action, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } denied)
        {
            return denied;
        }

        if (!confirmed)
        {
            Error = "Tick the box to confirm; nothing has been changed.";
            return Page();
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

        return Redirect($"/approvals/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        var school = scope.RequiredSchoolId;
        try
        {
            Approval = await approvals.FindAsync(school, id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        var policy = await policies.ActiveAsync(school, cancellationToken);
        var settings = ApprovalSettings.From(policy);
        Definition = settings.Find(Approval.TypeId);
        var actor = ApprovalActor.From(scope);
        if (!ApprovalService.CanSee(Approval, Definition, actor, policy))
        {
            // Someone else's request is "not found", as people outside a user's scope are.
            return NotFound();
        }

        var now = time.GetUtcNow();
        InForce = ApprovalService.IsInForce(Approval, now);
        CanDecide = ApprovalService.CanDecide(Approval, Definition, actor, policy);
        var own = string.Equals(Approval.RequestedBy, actor.UserName, StringComparison.OrdinalIgnoreCase);
        CanEnd = (InForce && (own || (Definition is not null && ApprovalService.Holds(actor, Definition.Approvers, policy))
                || scope.HasAnyRole([PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin])))
            || (own && Approval.Status == ApprovalState.Pending);
        History = await approvals.HistoryAsync(school, id, cancellationToken);
        Vouchers = await approvals.VouchersAsync(school, id, cancellationToken);
        SubjectName = Approval.SubjectPersonId is { } pid
            ? await db.People.AsNoTracking().Where(p => p.Id == pid).Select(p => p.GivenName + " " + p.FamilyName).FirstOrDefaultAsync(cancellationToken)
            : null;
        RuleText = Approval.RuleId is { } rule ? policy.FindRule(rule)?.Text : null;
        if (Approval.Status == ApprovalState.Pending && Definition is { SelfAuthorised: false } type)
        {
            // Issue 17, defect 2b: a request the policy routes only to roles nobody holds an account for waits for ever; say so.
            var unheld = (await coverage.UnheldAsync(school, cancellationToken)).Where(u => u.NeedsAccount).Select(u => u.Role).ToHashSet(StringComparer.Ordinal);
            if (type.Approvers.All(unheld.Contains))
            {
                var nobody = new List<(string, string, IReadOnlyList<string>)>();
                foreach (var role in type.Approvers)
                {
                    var names = await Brightline.People.RoleHolders.NamesAsync(db, policies, school, role, cancellationToken);
                    nobody.Add((PortalRoles.Describe(role), role, names.Select(n => n.Name).ToList()));
                }

                NobodyToDecide = nobody;
            }
        }

        return null;
    }
}
