using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Incidents;

/// <summary>Record an incident (W5: anyone who sees a breach reports it) into a register the policy lets this user record into.</summary>
public sealed class NewModel(PortalScope scope, IncidentService incidents, Brightline.Policies.PolicyStore policies) : PageModel
{

    [BindProperty(SupportsGet = true)]
    public Guid? Person { get; set; }

    /// <summary>Who it is about, as typed in the person picker (resolved on the server when no script chose).</summary>
    [BindProperty]
    public string? PersonText { get; set; }

    /// <summary>The person picker, with its choice or the people an unclear search found.</summary>
    public PersonPickerField Picker { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public List<string> RuleIds { get; set; } = [];

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public bool Serious { get; set; }

    /// <summary>Data breaches: when it was discovered, UK date and time (blank = now).</summary>
    [BindProperty]
    public string? DiscoveredDate { get; set; }

    [BindProperty]
    public string? DiscoveredTime { get; set; }

    [BindProperty]
    public string? DeviceDescription { get; set; }

    /// <summary>F4: for a data breach that was an email sent in error, the stored word of <see cref="Brightline.Data.Entities.MisdirectedEmail"/>; blank = not that.</summary>
    [BindProperty]
    public string? MisdirectedEmail { get; set; }

    public Person? Subject { get; private set; }

    public IReadOnlyList<IncidentKindSettings> Kinds { get; private set; } = [];

    /// <summary>The policy's rules, to choose the ones breached from (never typed: defect 6).</summary>
    public IReadOnlyList<Brightline.Policy.Model.Rule> Rules { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        var pick = await PersonSearch.ResolveAsync(await scope.PeopleAsync(cancellationToken), Person, PersonText, cancellationToken);
        Subject = pick.Person;
        Picker = PickerFor(Subject, pick);
        if (pick.Error is not null)
        {
            ModelState.AddModelError(nameof(PersonText), pick.Error);
            return Page();
        }

        try
        {
            if (!Kinds.Any(k => string.Equals(k.Key, Kind, StringComparison.Ordinal)))
            {
                throw new InvalidException("Choose the kind of incident.");
            }

            // Chosen from the list (one value each); a comma-separated value from an older form or a script is read the same way.
            var rules = RuleIds.SelectMany(r => (r ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var incident = await incidents.CreateAsync(
                new NewIncident(scope.RequiredSchoolId, Kind, Title, Subject is null ? [] : [Subject.Id], rules, Text, scope.UserName,
                    Serious, ParseDiscovered(), DeviceDescription, MisdirectedEmail: ParseMisdirected()), cancellationToken);
            return Redirect($"/incidents/{incident.Id}?done=created");
        }
        catch (DomainException e) when (e is not NotFoundException and not ForbiddenException)
        {
            ModelState.AddModelError(
                e is InvalidException { Field: nameof(RuleIds) } ? nameof(RuleIds) : e.Message.Contains("discovered", StringComparison.Ordinal) ? nameof(DiscoveredDate) : "", e.Message);
            return Page();
        }
    }

    private MisdirectedEmail? ParseMisdirected() =>
        string.IsNullOrWhiteSpace(MisdirectedEmail) ? null
        : MisdirectedEmails.Words.TryParse(MisdirectedEmail.Trim(), out var value) ? value
        : throw new InvalidException("Choose how the email sent in error carried the personal data, or leave it blank if it was not an email.");

    private DateTimeOffset? ParseDiscovered()
    {
        if (!string.Equals(Kind, IncidentKinds.DataBreach, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(DiscoveredDate))
        {
            return null;
        }

        // The browser's date input sends yyyy-MM-dd; someone typing may write the UK way.
        if (!DateOnly.TryParseExact(DiscoveredDate.Trim(), ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new InvalidException("Enter the date the breach was discovered, for example 25/11/2026.");
        }

        var clock = TimeOnly.MinValue;
        if (!string.IsNullOrWhiteSpace(DiscoveredTime)
            && !TimeOnly.TryParseExact(DiscoveredTime.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out clock))
        {
            throw new InvalidException("Enter the time the breach was discovered as hours and minutes, for example 14:30.");
        }

        return Brightline.Kernel.SchoolClock.FromUk(date.ToDateTime(clock));
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!scope.IsStaff)
        {
            return Forbid();
        }

        Kinds = await incidents.RecordableKindsAsync(scope.RequiredSchoolId, IncidentActor.From(scope), cancellationToken);
        Rules = (await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken)).Rules;
        if (Kinds.Count == 0)
        {
            return Forbid();
        }

        if (Person is { } id && HttpMethods.IsGet(Request.Method))
        {
            Subject = await scope.FindPersonAsync(id, cancellationToken);
            if (Subject is null)
            {
                return NotFound();
            }
        }

        Picker = PickerFor(Subject, PersonPick.Nobody);
        return null;
    }

    private PersonPickerField PickerFor(Person? subject, PersonPick pick) =>
        new("Person", "Who it is about", "Optional. Type part of the name, the class or the admission number.", PersonText,
            subject is null ? null : PersonChoice.Of(subject), pick.Candidates, pick.Error);
}
