using Brightline.Consents;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Consents;

/// <summary>
/// The publication check (F11, C14): choose a class, tick the children in the photo, choose where it will appear, and
/// get "Allowed" or "Not allowed: Finley G. has no parental consent for the school website". Each check is audited, so
/// the school can show the consent list was consulted before posting (C14).
/// </summary>
[Authorize(Roles = ConsentRoles.ReaderNames)]
public sealed class CheckModel(PortalScope scope, ConsentRegister register) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "class")]
    public string? ClassName { get; set; }

    [BindProperty]
    public List<Guid> Children { get; set; } = [];

    [BindProperty]
    public string? Channel { get; set; }

    public IReadOnlyList<string> Classes { get; private set; } = [];

    public IReadOnlyList<Person> Pupils { get; private set; } = [];

    public IReadOnlyList<string> Channels { get; private set; } = [];

    public PublicationCheck? Result { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        try
        {
            // Only children the caller can see (a teacher: their class) may be checked; anything else is not theirs to ask about.
            var visible = (await scope.PeopleAsync(ct)).Select(p => p.Id);
            var chosen = Children.Distinct().ToList();
            var known = visible.Where(chosen.Contains).Count();
            if (known != chosen.Count)
            {
                throw new InvalidException("Choose children from the class list.") { Field = "children" };
            }

            Result = await register.CheckPublicationAsync(scope.RequiredSchoolId, chosen, Channel?.Trim() ?? "", scope.UserName, ct);
        }
        catch (InvalidException e)
        {
            Error = e.Message;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var school = scope.RequiredSchoolId;
        var people = await scope.PeopleAsync(ct);
        Classes = await register.ClassesAsync(people, school, ct);
        if (string.IsNullOrWhiteSpace(ClassName) && Classes.Count == 1)
        {
            ClassName = Classes[0];
        }

        if (!string.IsNullOrWhiteSpace(ClassName))
        {
            Pupils = await register.ClassAsync(people, school, ClassName, ct);
        }

        var policy = await register.PolicyAsync(school, ct);
        Channels = policy.Questions.Select(q => q.Channel).Distinct(StringComparer.Ordinal).ToList();
    }
}
