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

        if (string.IsNullOrWhiteSpace(Email) || !Email.Contains('@', StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Email), "Enter an email address, like name@school.org.uk");
        }

        if (Role is null || !PortalRoles.IsKnown(Role))
        {
            ModelState.AddModelError(nameof(Role), "Choose a role");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Email!.Trim();
        var school = scope.RequiredSchoolId;
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = DisplayName!.Trim(), CreatedAt = time.GetUtcNow() };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                foreach (var e in created.Errors)
                {
                    ModelState.AddModelError(nameof(Email), e.Description);
                }

                return Page();
            }

            await audit.AppendAsync(school, scope.UserName, AuditActions.AccountCreated, user.Id, email, scope.ClientAddress, cancellationToken);
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

    private static string SuggestRole(Person person) =>
        Brightline.Policies.PersonGroups.Has(person, Brightline.Policy.Model.PersonKind.Pupil) ? PortalRoles.Pupil
        : Brightline.Policies.PersonGroups.Has(person, Brightline.Policy.Model.PersonKind.Parent) ? PortalRoles.Parent
        : person.ClassName is not null ? PortalRoles.Teacher
        : PortalRoles.Staff;
}
