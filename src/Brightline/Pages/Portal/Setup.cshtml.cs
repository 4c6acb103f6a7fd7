using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Portal;

/// <summary>
/// First-run: creates the first administrator (admin at every school in the installation) using the
/// one-time token printed at start-up. Once any administrator exists this page does not exist (404).
/// </summary>
[EnableRateLimiting(RateLimits.PublicLinks)]
public sealed class SetupModel(
    BrightlineDbContext db, FirstRunSetup firstRun, UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn, AuditLog audit, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    public bool TokenValid { get; private set; }

    public bool HasSchools { get; private set; }

    public IReadOnlyList<string> SchoolNames { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await FirstRunSetup.AdminExistsAsync(db, cancellationToken))
        {
            return NotFound();
        }

        await LoadAsync(cancellationToken);
        if (!TokenValid)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // One set-up at a time: eight concurrent posts with the token created two administrators (issue 10,
        // item 4). Inside the gate the "no administrator yet" and token checks below are read afresh.
        using var exclusive = await firstRun.EnterAsync(cancellationToken);
        if (await FirstRunSetup.AdminExistsAsync(db, cancellationToken))
        {
            return NotFound();
        }

        await LoadAsync(cancellationToken);
        if (!TokenValid || !HasSchools)
        {
            Response.StatusCode = TokenValid ? StatusCodes.Status409Conflict : StatusCodes.Status403Forbidden;
            return Page();
        }

        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            ModelState.AddModelError(nameof(DisplayName), "Enter your name");
        }

        if (string.IsNullOrWhiteSpace(Email) || !Email.Contains('@', StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Email), "Enter an email address, like name@school.org.uk");
        }

        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), "Choose a password");
        }
        else if (!string.Equals(Password, Confirm, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Confirm), "The two passwords are not the same");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Email!.Trim();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = DisplayName!.Trim(),
            CreatedAt = time.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, Password!);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(error.Code.Contains("Password", StringComparison.Ordinal) ? nameof(Password) : nameof(Email), error.Description);
            }

            return Page();
        }

        var schools = await db.Schools.Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var school in schools)
        {
            db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = school, Role = PortalRoles.Admin });
        }

        await db.SaveChangesAsync(cancellationToken);
        firstRun.Consume();
        var client = HttpContext.Connection.RemoteIpAddress?.ToString();
        await audit.AppendAsync(null, email, AuditActions.AccountCreated, user.Id, "first administrator (set-up)", client, cancellationToken);
        foreach (var school in schools)
        {
            await audit.AppendAsync(school, email, AuditActions.RoleChange, user.Id, "granted admin", client, cancellationToken);
        }

        await signIn.SignInAsync(user, isPersistent: false);
        await audit.AppendAsync(null, email, AuditActions.SignIn, user.Id, "after set-up", client, cancellationToken);
        return Redirect("/account/two-factor");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        TokenValid = firstRun.Matches(Token);
        SchoolNames = await db.Schools.OrderBy(s => s.Name).Select(s => s.Name).ToListAsync(cancellationToken);
        HasSchools = SchoolNames.Count > 0;
    }
}
