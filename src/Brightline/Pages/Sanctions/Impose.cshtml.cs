using System.Globalization;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.Sanctions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Sanctions;

/// <summary>Impose a sanction: fill the form, check the summary, confirm.</summary>
public sealed class ImposeModel(PortalScope scope, SanctionService sanctions, SanctionReasons reasons, Brightline.Policies.PolicyStore policies) : PageModel
{
    /// <summary>O15: a reason the policy names (password_disclosed), whose consequence for the person's group the policy decides.</summary>
    [BindProperty]
    public string? ReasonKey { get; set; }

    [BindProperty]
    public string? ReasonDetails { get; set; }

    /// <summary>The policy's named reasons, each with what it means for this person.</summary>
    public IReadOnlyList<ReasonConsequence> Reasons { get; private set; } = [];

    /// <summary>The reason being checked before it is confirmed.</summary>
    public ReasonConsequence? ConfirmingReason { get; private set; }

    [BindProperty(SupportsGet = true)]
    public Guid Person { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? EndsAt { get; set; }

    [BindProperty]
    public string? Categories { get; set; }

    public Person? Subject { get; private set; }

    /// <summary>The sanctions the school's policy provides for, offered in the form.</summary>
    public ProvidedSanctions Provided { get; private set; } = new([], new Dictionary<SanctionKind, string>());

    public bool Confirming { get; private set; }

    public string? Error { get; private set; }

    public DateTimeOffset? ParsedEnd { get; private set; }

    /// <summary>
    /// The form, with the kind chosen by <c>?kind=</c> (or the only kind the policy provides) and its usual length
    /// pre-filled as the end (issue 15 part 6): staff may shorten or lengthen it up to the policy's maximum.
    /// </summary>
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "kind")] string? kind, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        SanctionKind chosen;
        if (SanctionKinds.TryParse(kind, out var asked) && Provided.Kinds.Contains(asked))
        {
            chosen = asked;
        }
        else if (Provided.Kinds.Count == 1)
        {
            chosen = Provided.Kinds[0];
        }
        else
        {
            return Page();
        }

        Kind = SanctionKinds.NameOf(chosen);
        EndsAt = Provided.UseOf(chosen).DefaultEndText;
        return Page();
    }

    public async Task<IActionResult> OnPostReviewAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        Confirming = Validate();
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        if (!Validate())
        {
            return Page();
        }

        try
        {
            var categories = (Categories ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var imposed = await sanctions.ImposeAsync(new ImposeSanction(scope.RequiredSchoolId, Person, SanctionKinds.Parse(Kind!), Reason, ParsedEnd, categories, scope.UserName), cancellationToken);

            // Where a letter to parents was sent, offered or could not be sent, the sanction's page says which.
            if (Provided.UseOf(imposed.Kind).TellParents != TellParents.Never)
            {
                return Redirect($"/sanctions/{imposed.Id}#letters");
            }
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }

        return Redirect($"/people/{Person}#sanctions");
    }

    /// <summary>O15: check what the named reason leads to for this person before confirming it.</summary>
    public async Task<IActionResult> OnPostReasonAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        var chosen = Reasons.FirstOrDefault(r => string.Equals(r.Reason.Key, ReasonKey, StringComparison.Ordinal));
        if (chosen is null)
        {
            Error = "Choose one of the reasons the school's policy names.";
        }
        else if (chosen.Consequence is null)
        {
            Error = $"The school's policy does not say what \"{chosen.Reason.Label}\" leads to for {Subject!.FullName}'s groups. Choose the sanction by hand below.";
        }
        else if (string.IsNullOrWhiteSpace(ReasonDetails))
        {
            Error = "Say what happened: when, and who the password was disclosed to.";
        }
        else
        {
            ConfirmingReason = chosen;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostReasonConfirmAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } denied)
        {
            return denied;
        }

        try
        {
            var outcome = await reasons.ImposeAsync(scope.RequiredSchoolId, Person, ReasonKey, ReasonDetails, Brightline.Incidents.IncidentActor.From(scope), cancellationToken);
            return outcome.Incident is { } incident ? Redirect($"/incidents/{incident.Id}") : Redirect($"/people/{Person}#sanctions");
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!scope.HasAnyRole(PortalRoles.SanctionImposers))
        {
            return Forbid();
        }

        Subject = await scope.FindPersonAsync(Person, cancellationToken);
        Provided = await sanctions.ProvidedAsync(scope.RequiredSchoolId, cancellationToken);
        if (Subject is null)
        {
            return NotFound();
        }

        Reasons = SanctionReasons.For(await policies.ActiveAsync(scope.RequiredSchoolId, cancellationToken), Subject);
        return null;
    }

    private bool Validate()
    {
        if (!SanctionKinds.TryParse(Kind, out var kind) || !Provided.Kinds.Contains(kind))
        {
            Error = "Choose one of the sanctions the school's policy provides for.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            Error = "Enter the reason for the sanction.";
            return false;
        }

        if (!string.IsNullOrWhiteSpace(EndsAt))
        {
            if (!DateTime.TryParseExact(EndsAt.Trim(), ["dd/MM/yyyy HH:mm", "d/M/yyyy HH:mm", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                Error = "Enter the end as a date and time, for example 31/01/2027 15:30.";
                return false;
            }

            ParsedEnd = Brightline.Kernel.SchoolClock.FromUk(local);
        }

        // The policy's maximum, checked here too so the review step (not only the confirmation) says so.
        if (Provided.UseOf(kind).LengthProblem(ParsedEnd) is { } tooLong)
        {
            Error = tooLong;
            return false;
        }

        if (kind == SanctionKind.RestrictCategories && string.IsNullOrWhiteSpace(Categories))
        {
            Error = "Enter at least one category to restrict, for example gaming, social-networking.";
            return false;
        }

        return true;
    }
}
