using System.Globalization;
using Brightline.Kernel;
using Brightline.Portal;
using Brightline.WebFiltering;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Person = Brightline.Data.Entities.Person;

namespace Brightline.Pages.WebFiltering;

/// <summary>"Test a URL as …" a group or a person, at a school-local date and time: the same code path as <c>brightline filter test</c>.</summary>
[Authorize(Roles = PortalRoles.FilteringViewerNames)]
public sealed class TestModel(PortalScope scope, FilterService filters, TimeProvider time, IFilterExemptions exemptions) : PageModel
{
    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");

    [BindProperty(SupportsGet = true, Name = "url")]
    public string? Target { get; set; }

    /// <summary>"group" or "person".</summary>
    [BindProperty(SupportsGet = true, Name = "as")]
    public string? As { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Group { get; set; }

    /// <summary>A person's name (or MIS id) to search for.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? PersonId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Time { get; set; }

    public IReadOnlyList<Brightline.Policy.Model.Group> Groups { get; private set; } = [];

    /// <summary>When the name matched several people: choose one.</summary>
    public IReadOnlyList<Person> Choices { get; private set; } = [];

    public FilterTestResult? Result { get; private set; }

    public List<string> Errors { get; } = [];

    public string? NoPolicy { get; private set; }

    public bool AsPerson => string.Equals(As, "person", StringComparison.Ordinal);

    public string DateHint { get; private set; } = "";

    public string TimeHint { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SchoolFilter filter;
        try
        {
            filter = await filters.GetAsync(scope.RequiredSchoolId, cancellationToken);
        }
        catch (NotFoundException ex)
        {
            NoPolicy = ex.Message;
            return;
        }

        Groups = filter.Policy.Groups.Where(g => filter.Engine.Current.Profiles.ContainsKey(g.Id)).ToList();
        var zone = filter.Engine.Current.Options.TimeZone;
        var nowLocal = TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);
        DateHint = nowLocal.ToString("dd/MM/yyyy", s_uk);
        TimeHint = nowLocal.ToString("HH:mm", s_uk);
        if (string.IsNullOrWhiteSpace(Target))
        {
            return;
        }

        var when = time.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(Date) || !string.IsNullOrWhiteSpace(Time))
        {
            var text = $"{(string.IsNullOrWhiteSpace(Date) ? DateHint : Date.Trim())} {(string.IsNullOrWhiteSpace(Time) ? TimeHint : Time.Trim())}";
            if (!FilterTester.TryParseLocal(text, zone, out when))
            {
                Errors.Add($"'{text}' is not a date and time like 25/11/2026 and 14:00.");
                return;
            }
        }

        FilterTestSubject subject;
        if (AsPerson)
        {
            var person = await FindPersonAsync(cancellationToken);
            if (person is null)
            {
                return;
            }

            subject = await FilterTester.ForPersonAsync(filter, person, exemptions, when, cancellationToken);
        }
        else if (filter.Policy.FindGroup(Group ?? "") is { } group)
        {
            subject = FilterTester.ForGroup(filter, group);
        }
        else
        {
            Errors.Add("Choose a group, or a person.");
            return;
        }

        Result = FilterTester.Test(filter, Target, subject, when);
    }

    /// <summary>The person chosen or searched for, among the people this viewer may see; null with an error or a choice to make.</summary>
    private async Task<Person?> FindPersonAsync(CancellationToken cancellationToken)
    {
        var people = (await scope.PeopleAsync(cancellationToken)).AsNoTracking();
        if (PersonId is { } id)
        {
            var chosen = await people.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
            if (chosen is null)
            {
                Errors.Add("That person was not found.");
            }

            return chosen;
        }

        if (string.IsNullOrWhiteSpace(Person))
        {
            Errors.Add("Type part of the person's name.");
            return null;
        }

        var q = Person.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
        var matches = await people.Where(p => (p.GivenName + " " + p.FamilyName).ToLower().Contains(q) || p.ExternalId.ToLower() == q)
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).Take(21).ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
        switch (matches.Count)
        {
            case 0:
                Errors.Add($"Nobody you can see matches '{Person.Trim()}'.");
                return null;
            case 1:
                return matches[0];
            default:
                Choices = matches.Take(20).ToList();
                return null;
        }
    }

    public string ChooseLink(Person p)
    {
        var parts = new List<string>
        {
            "url=" + Uri.EscapeDataString(Target ?? ""),
            "as=person",
            "personId=" + p.Id.ToString(),
        };
        if (!string.IsNullOrWhiteSpace(Date))
        {
            parts.Add("date=" + Uri.EscapeDataString(Date));
        }

        if (!string.IsNullOrWhiteSpace(Time))
        {
            parts.Add("time=" + Uri.EscapeDataString(Time));
        }

        return "/filtering/test?" + string.Join('&', parts);
    }
}
