using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Portal.Users;

/// <summary>One account: its roles at this school (every change audited) and a one-time password link.</summary>
[Authorize(Policy = PortalPolicies.Admin)]
public sealed class DetailModel(PortalScope scope, BrightlineDbContext db, UserManager<ApplicationUser> users, AuditLog audit, Brightline.Email.EmailSender email) : PageModel
{
    public ApplicationUser? Account { get; private set; }

    public IReadOnlyList<SchoolMembership> Memberships { get; private set; } = [];

    public string? ResetLink { get; private set; }

    /// <summary>
    /// The one-time link as a QR code (a PNG data URI), for an account without an email address: a pupil's sign-in card
    /// that a teacher prints and the pupil scans, instead of a link typed by hand (issue 17, defect 9).
    /// </summary>
    public string? ResetLinkQr => ResetLink is null || !string.IsNullOrEmpty(Account?.Email) ? null : Qr(ResetLink);

    private static string Qr(string text)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new QRCoder.PngByteQRCode(data).GetGraphic(5));
    }

    public string? Message { get; private set; }

    public bool Created { get; private set; }

    /// <summary>False when the account also belongs to a school this administrator does not run: no password link then.</summary>
    public bool MayIssueLink { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? created, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Created = string.Equals(created, "1", StringComparison.Ordinal);
        if (Created && MayIssueLink)
        {
            ResetLink = await MakeLinkAsync(Account!);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!MayIssueLink)
        {
            return Forbid();
        }

        ResetLink = await MakeLinkAsync(Account!);
        await audit.AppendAsync(scope.RequiredSchoolId, scope.UserName, "password-link", Account!.Id, Account.Email ?? Account.UserName, scope.ClientAddress, cancellationToken);
        return Page();
    }

    /// <summary>The email's purpose in the email log.</summary>
    public const string SignInLinkPurpose = "sign-in-link";

    /// <summary>
    /// Issue 17, defect 2c: emails a fresh one-time sign-in link to the account's own address through the outbox, saying
    /// which school sent it, so the administrator need not copy the link into an email by hand.
    /// </summary>
    public async Task<IActionResult> OnPostEmailLinkAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!MayIssueLink)
        {
            return Forbid();
        }

        if (string.IsNullOrWhiteSpace(Account!.Email))
        {
            Message = "This account has no email address, so the link cannot be emailed. Make a new link and give it to them in person.";
            return Page();
        }

        var school = scope.RequiredSchoolId;
        var schoolName = await db.Schools.AsNoTracking().Where(s => s.Id == school).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? school;
        var link = await MakeLinkAsync(Account);
        var body = $"""
            Hello {Account.DisplayName ?? Account.Email},

            {schoolName} has made you an account on Brightline, the school's system for its ICT acceptable-use policy.

            Open this link to choose your password. It works once, for 24 hours:

            {link}

            If you were not expecting this email, speak to {schoolName}'s office and do not open the link.

            {schoolName}
            """;
        var queued = email.Enqueue(school, Account.Email, $"Your Brightline account at {schoolName}", body, SignInLinkPurpose, Memberships.Select(m => m.PersonId).FirstOrDefault(p => p is not null));
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(school, scope.UserName, "password-link", Account.Id, $"emailed to {Account.Email}", scope.ClientAddress, cancellationToken);
        Message = queued
            ? $"The sign-in link has been emailed to {Account.Email}. It works once, for 24 hours."
            : "Email is not set up on this server, so the link was not sent. Make a new link and give it to them in person.";
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(string id, string? role, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (role is not null && await RoleGrant.GrantAsync(db, audit, scope, id, role, cancellationToken))
        {
            Message = $"Added the role {PortalRoles.Describe(role)}.";
            await LoadAsync(id, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string id, long membershipId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var school = scope.RequiredSchoolId;
        var membership = await db.SchoolMemberships.FirstOrDefaultAsync(m => m.Id == membershipId && m.UserId == id && m.SchoolId == school, cancellationToken);
        if (membership is null)
        {
            return NotFound();
        }

        // Never leave a school without an administrator: nobody could then manage accounts.
        if (string.Equals(membership.Role, PortalRoles.Admin, StringComparison.Ordinal)
            && !await db.SchoolMemberships.AnyAsync(m => m.SchoolId == school && m.Role == PortalRoles.Admin && m.Id != membershipId, cancellationToken))
        {
            Message = "This is the school's only administrator, so the role cannot be removed. Give someone else the administrator role first.";
            return Page();
        }

        db.SchoolMemberships.Remove(membership);
        await db.SaveChangesAsync(cancellationToken);
        // A removed role must not live on in a session opened while it was held (issue 10, item 6).
        await AccountSessions.EndAsync(db, id, cancellationToken);
        await audit.AppendAsync(school, scope.UserName, AuditActions.RoleChange, id, $"removed {membership.Role}", scope.ClientAddress, cancellationToken);
        Message = $"Removed the role {PortalRoles.Describe(membership.Role)}.";
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        Account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        Memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.UserId == id && m.SchoolId == school).OrderBy(m => m.Role).ToListAsync(cancellationToken);
        // An account with no role at this school is another school's: not found, whatever the query string says.
        if (Account is null || Memberships.Count == 0)
        {
            return false;
        }

        MayIssueLink = scope.UserId is { } me && await AccountStewardship.MayIssuePasswordLinkAsync(db, me, id, cancellationToken);
        return true;
    }

    private async Task<string> MakeLinkAsync(ApplicationUser account)
    {
        var tracked = await users.FindByIdAsync(account.Id) ?? account;
        var code = await users.GeneratePasswordResetTokenAsync(tracked);
        return $"{Request.Scheme}://{Request.Host}/account/reset-password?user={Uri.EscapeDataString(tracked.Id)}&code={Uri.EscapeDataString(code)}";
    }
}
