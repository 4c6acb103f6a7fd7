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

[Authorize(Policy = PortalPolicies.Admin)]
public sealed class CreateModel(PortalScope scope, BrightlineDbContext db, UserManager<ApplicationUser> users, AuditLog audit, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "person")]
    public Guid? PersonId { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    /// <summary>
    /// A pupil's sign-in name when they have no email address (issue 17, defect 9): a primary pupil signs in as
    /// <c>finleyg</c>, not with an address they do not have.
    /// </summary>
    [BindProperty]
    public string? Username { get; set; }

    /// <summary>Whether the form is for a pupil: email optional, a username offered instead.</summary>
    public bool ForPupil => string.Equals(Role, PortalRoles.Pupil, StringComparison.Ordinal);

    public Person? Person { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadPersonAsync(cancellationToken))
        {
            return NotFound();
        }

        DisplayName ??= Person?.FullName;
        Email ??= Person?.Email;
        Role ??= Person is null ? PortalRoles.Staff : SuggestRole(Person);
        if (ForPupil && string.IsNullOrEmpty(Email) && Person is not null)
        {
            Username ??= await ProposeUsernameAsync(Person, cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadPersonAsync(cancellationToken))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            ModelState.AddModelError(nameof(DisplayName), "Enter the person's name");
        }

        var signsInWithUsername = ForPupil && string.IsNullOrWhiteSpace(Email);
        if (signsInWithUsername)
        {
            Username = Username?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(Username) || !IsUsername(Username))
            {
                ModelState.AddModelError(nameof(Username), "Enter a username of 3 to 30 letters, digits, dots or hyphens, like finleyg, or give an email address");
            }
        }
        else if (string.IsNullOrWhiteSpace(Email) || !Email.Contains('@', StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Email), ForPupil
                ? "Enter an email address, like name@school.org.uk, or leave it empty and give a username"
                : "Enter an email address, like name@school.org.uk");
        }

        if (Role is null || !PortalRoles.IsKnown(Role))
        {
            ModelState.AddModelError(nameof(Role), "Choose a role");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = signsInWithUsername ? null : Email!.Trim();
        var signInName = email ?? Username!;
        var school = scope.RequiredSchoolId;
        var user = email is null ? null : await users.FindByEmailAsync(email);
        if (user is null && email is null && await users.FindByNameAsync(signInName) is not null)
        {
            // A username names one account everywhere; joining someone else's account by guessing its name is refused.
            ModelState.AddModelError(nameof(Username), $"The username {signInName} is taken. Try {await ProposeUsernameAsync(Person, cancellationToken, signInName)}.");
            return Page();
        }

        if (user is null)
        {
            user = new ApplicationUser { UserName = signInName, Email = email, EmailConfirmed = email is not null, DisplayName = DisplayName!.Trim(), CreatedAt = time.GetUtcNow() };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                foreach (var e in created.Errors)
                {
                    ModelState.AddModelError(email is null ? nameof(Username) : nameof(Email), e.Description);
                }

                return Page();
            }

            await audit.AppendAsync(school, scope.UserName, AuditActions.AccountCreated, user.Id, signInName, scope.ClientAddress, cancellationToken);
        }

        var userId = user.Id;
        if (!await db.SchoolMemberships.AnyAsync(m => m.UserId == userId && m.SchoolId == school && m.Role == Role, cancellationToken))
        {
            db.SchoolMemberships.Add(new SchoolMembership { UserId = user.Id, SchoolId = school, Role = Role!, PersonId = Person?.Id });
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(school, scope.UserName, AuditActions.RoleChange, user.Id, $"granted {Role}" + (Person is null ? "" : $" (person {Person.Id})"), scope.ClientAddress, cancellationToken);
        }

        return Redirect($"/users/{user.Id}?created=1");
    }

    private async Task<bool> LoadPersonAsync(CancellationToken cancellationToken)
    {
        if (PersonId is { } id)
        {
            Person = await scope.FindPersonAsync(id, cancellationToken);
            return Person is not null;
        }

        return true;
    }

    private static bool IsUsername(string name) =>
        name.Length is >= 3 and <= 30 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-');

    /// <summary>First name and the surname's initial (<c>finleyg</c>), lower-case ASCII, with a number when taken.</summary>
    private async Task<string> ProposeUsernameAsync(Person? person, CancellationToken cancellationToken, string? taken = null)
    {
        var stem = taken;
        if (person is not null)
        {
            var first = AsciiLetters(person.GivenName);
            var last = AsciiLetters(person.FamilyName);
            stem = (first + (last.Length > 0 ? last[..1] : "")) is { Length: >= 3 } made ? made : (first + last).PadRight(3, '1');
        }

        stem ??= "pupil";
        for (var n = 1; n < 1000; n++)
        {
            var candidate = n == 1 ? stem : stem + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            cancellationToken.ThrowIfCancellationRequested();
            if (candidate != taken && await users.FindByNameAsync(candidate) is null)
            {
                return candidate;
            }
        }

        return stem + Guid.NewGuid().ToString("N")[..4];
    }

    // Zoë → zoe: accents come apart under FormD and only the ASCII letters are kept.
    private static string AsciiLetters(string name) =>
        new string(name.Normalize(System.Text.NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray()).ToLowerInvariant();

    private static string SuggestRole(Person person) =>
        Brightline.Policies.PersonGroups.Has(person, Brightline.Policy.Model.PersonKind.Pupil) ? PortalRoles.Pupil
        : Brightline.Policies.PersonGroups.Has(person, Brightline.Policy.Model.PersonKind.Parent) ? PortalRoles.Parent
        : person.ClassName is not null ? PortalRoles.Teacher
        : PortalRoles.Staff;
}
