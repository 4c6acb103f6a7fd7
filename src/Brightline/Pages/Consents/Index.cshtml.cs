using System.Globalization;
using System.Text;
using Brightline.Consents;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Consents;

/// <summary>
/// The consent list (F11, C14): pick a class, see each child against each question (parent's answer and, where the
/// policy asks it, the child's own), print it for the classroom wall or read it on a phone, search a child by name,
/// export it as CSV. A teacher sees their own class. Recorders may email the class's parents their consent links.
/// </summary>
[Authorize(Roles = ConsentRoles.ReaderNames)]
public sealed class IndexModel(PortalScope scope, ConsentRegister register) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "class")]
    public string? ClassName { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<string> Classes { get; private set; } = [];

    public IReadOnlyList<ConsentQuestion> Questions { get; private set; } = [];

    public IReadOnlyList<ChildConsents> Rows { get; private set; } = [];

    public Paged<ChildConsents>? Found { get; private set; }

    public string Year { get; private set; } = "";

    public bool CanRecord => scope.HasAnyRole(ConsentRoles.Recorders);

    public bool Stated { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public string PageLink(int page) => PortalHtml.Link("/consents", ("q", Q), ("p", page.ToString(CultureInfo.InvariantCulture)));

    public string CsvLink => PortalHtml.Link("/consents", ("handler", "csv"), ("class", ClassName));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    [AuditedExport("consent list")]

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Rows.Count == 0)
        {
            return Page();
        }

        var csv = new StringBuilder();
        var header = new List<string?> { "Child", "Class" };
        foreach (var q in Questions)
        {
            header.Add($"{ConsentChannels.Label(q.Channel)} ({q.Id}): parent");
            if (q.ChildVerbal)
            {
                header.Add($"{ConsentChannels.Label(q.Channel)} ({q.Id}): child");
            }
        }

        csv.Append(SafeCsv.Line([.. header]));
        foreach (var row in Rows)
        {
            var cells = new List<string?> { row.Child.FullName, row.Child.ClassName };
            foreach (var q in Questions)
            {
                var cell = row.For(q.Id);
                cells.Add(cell is null ? "not asked of this child" : Word(cell.Parental));
                if (q.ChildVerbal)
                {
                    cells.Add(cell?.Verbal is { } v ? Word(v) : "");
                }
            }

            csv.Append(SafeCsv.Line([.. cells]));
        }

        Response.Headers.CacheControl = "no-store";
        var file = "consents-" + string.Concat(ClassName!.Trim().Select(c => char.IsLetterOrDigit(c) ? c : '-')) + ".csv";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", file);
    }

    public async Task<IActionResult> OnPostSendLinksAsync(CancellationToken ct)
    {
        if (!scope.HasAnyRole(ConsentRoles.Recorders))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        try
        {
            var sent = await register.SendLinksAsync(Actor(), Rows.Select(r => r.Child.Id).ToList(), ct);
            Message = $"{UkFormat.Plural(sent, "parent has", "parents have")} been sent a link to answer for their children.";
        }
        catch (InvalidException e)
        {
            Error = e.Message;
        }

        return Page();
    }

    /// <summary>A state as a mark and a word (the word is what a screen reader and a black-and-white print read).</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Mark(ConsentState state) => new Microsoft.AspNetCore.Html.HtmlString(state switch
    {
        ConsentState.Yes => "<span class=\"c-yes\"><span aria-hidden=\"true\">✓</span> yes</span>",
        ConsentState.No => "<span class=\"c-no\"><span aria-hidden=\"true\">✗</span> no</span>",
        ConsentState.NotAsked => "<span class=\"c-none\"><span aria-hidden=\"true\">–</span> not asked</span>",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    });

    public static string Word(ConsentState state) => state switch
    {
        ConsentState.Yes => "yes",
        ConsentState.No => "no",
        ConsentState.NotAsked => "not asked",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    private ConsentActor Actor() => new(scope.RequiredSchoolId, scope.UserId ?? "", scope.UserName);

    private async Task LoadAsync(CancellationToken ct)
    {
        var school = scope.RequiredSchoolId;
        var policy = await register.PolicyAsync(school, ct);
        Stated = policy.Stated;
        Questions = policy.Questions;
        Year = await register.CurrentYearAsync(school, ct);
        var people = await scope.PeopleAsync(ct);
        Classes = await register.ClassesAsync(people, school, ct);
        if (string.IsNullOrWhiteSpace(ClassName) && string.IsNullOrWhiteSpace(Q) && Classes.Count == 1)
        {
            ClassName = Classes[0]; // a teacher's own class opens at once
        }

        if (!string.IsNullOrWhiteSpace(ClassName))
        {
            var children = await register.ClassAsync(people, school, ClassName, ct);
            if (children.Count == 0)
            {
                Error = $"There is no class '{ClassName.Trim()}' you can see.";
            }

            Rows = await register.StatesAsync(school, children, ct);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var term = Q.Trim().ToLowerInvariant();
            var pupil = Brightline.Policies.PersonGroups.Mask(PersonKind.Pupil);
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            var matches = people.AsNoTracking().Where(p => p.SchoolId == school && (p.KindMask & pupil) != 0
                && (p.GivenName + " " + p.FamilyName).ToLower().Contains(term));
#pragma warning restore CA1862, CA1311
            var total = await matches.CountAsync(ct);
            var page = PortalHtml.ClampPage(PageNumber);
            var items = await matches.OrderBy(p => p.GivenName).ThenBy(p => p.FamilyName)
                .Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(ct);
            Found = new Paged<ChildConsents>(await register.StatesAsync(school, items, ct), page, total);
        }
    }
}
