using Brightline.Consents;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Consents;

/// <summary>
/// One child's consent (F11, C14): each question's answer in force, every answer ever given (nothing is deleted), and —
/// for the office, the head and the DSLs — forms to record a parent's paper answer, the child's own verbal consent (C14)
/// and a withdrawal (confirmed first), and to email the parents their link.
/// </summary>
[Authorize(Roles = ConsentRoles.ReaderNames)]
public sealed class ChildModel(PortalScope scope, ConsentRegister register) : PageModel
{
    [BindProperty]
    public string? Question { get; set; }

    [BindProperty]
    public string? Answer { get; set; }

    [BindProperty]
    public Guid? ParentId { get; set; }

    [BindProperty]
    public string? ParentName { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    public ChildConsents? State { get; private set; }

    public IReadOnlyList<ConsentAnswer> History { get; private set; } = [];

    public IReadOnlyList<Person> Parents { get; private set; } = [];

    public string Year { get; private set; } = "";

    public bool CanRecord => scope.HasAnyRole(ConsentRoles.Recorders);

    /// <summary>Set when a withdrawal waits for its confirmation.</summary>
    public bool Confirming { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostPaperAsync(Guid id, CancellationToken ct) =>
        RecordAsync(id, ConsentMethod.Paper, ct);

    public Task<IActionResult> OnPostVerbalAsync(Guid id, CancellationToken ct) =>
        RecordAsync(id, ConsentMethod.ChildVerbal, ct);

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken ct)
    {
        if (!Confirmed)
        {
            if (await OpenForRecordingAsync(id, ct) is { } refused)
            {
                return refused;
            }

            if (string.IsNullOrWhiteSpace(Note))
            {
                Error = "Say how and when the parent withdrew consent (the note is kept with the answer).";
                return Page();
            }

            Confirming = true;
            return Page();
        }

        Answer = "no";
        return await RecordAsync(id, ConsentMethod.Withdrawal, ct);
    }

    public async Task<IActionResult> OnPostSendLinkAsync(Guid id, CancellationToken ct)
    {
        if (await OpenForRecordingAsync(id, ct) is { } refused)
        {
            return refused;
        }

        try
        {
            var sent = await register.SendLinksAsync(Actor(), [id], ct);
            Message = $"{UkFormat.Plural(sent, "parent has", "parents have")} been emailed a link to answer.";
        }
        catch (InvalidException e)
        {
            Error = e.Message;
        }

        return Page();
    }

    public static string How(ConsentMethod method) => method switch
    {
        ConsentMethod.ParentForm => "Parent, own link",
        ConsentMethod.Paper => "Paper form (recorded by staff)",
        ConsentMethod.Withdrawal => "Withdrawal",
        ConsentMethod.ChildVerbal => "Child's verbal consent",
        _ => method.Key(),
    };

    /// <summary>
    /// A write's opening, in the order the portal answers everywhere: a child outside the caller's scope (another class,
    /// another school) is not found, whatever the caller's role; only then may a reader who does not record be refused.
    /// </summary>
    private async Task<IActionResult?> OpenForRecordingAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        return scope.HasAnyRole(ConsentRoles.Recorders) ? null : Forbid();
    }

    private async Task<IActionResult> RecordAsync(Guid id, ConsentMethod method, CancellationToken ct)
    {
        if (await OpenForRecordingAsync(id, ct) is { } refused)
        {
            return refused;
        }

        try
        {
            var given = Answer switch
            {
                "yes" => true,
                "no" => false,
                _ => throw new InvalidException("Choose yes or no.") { Field = "Answer" },
            };
            await register.RecordAsync(Actor(), id, Question ?? "", given, method, ParentId, ParentName, Note, ct);
        }
        catch (InvalidException e)
        {
            Error = e.Message;
            return Page();
        }

        // Post/redirect/get: a reload does not record the answer twice.
        return Redirect($"/consents/children/{id}?recorded=1");
    }

    private ConsentActor Actor() => new(scope.RequiredSchoolId, scope.UserId ?? "", scope.UserName);

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        // The caller's scope decides: a teacher opens only their own class's children; another school's child is not found.
        var child = await scope.FindPersonAsync(id, ct);
        if (child is null || !Brightline.Policies.PersonGroups.Has(child, Brightline.Policy.Model.PersonKind.Pupil))
        {
            return false;
        }

        var school = scope.RequiredSchoolId;
        State = (await register.StatesAsync(school, [child], ct))[0];
        History = await register.HistoryAsync(school, id, ct);
        Parents = await register.ParentsOfAsync(school, id, ct);
        Year = await register.CurrentYearAsync(school, ct);
        if (Request.Query.ContainsKey("recorded"))
        {
            Message = "The answer has been recorded.";
        }

        return true;
    }
}
