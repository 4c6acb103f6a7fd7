using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.People;

/// <summary>
/// The person picker's search (issue 17: "wherever a person is chosen … type-ahead by name, class or admission number").
/// Every word typed must match the person somewhere: in the given or family name, as the whole class ("7b"), or as the
/// start of the admission number or staff code; case is ignored. Only current people, and only those the caller may
/// see (<see cref="Portal.PortalScope.PeopleAsync"/>): the search never reveals who else is at the school.
/// </summary>
public static class PersonSearch
{
    public const int MaxResults = 10;

    public const int MaxLength = 100;

    public static async Task<IReadOnlyList<PersonChoice>> FindAsync(IQueryable<Person> visible, string? typed, int max, CancellationToken cancellationToken)
    {
        var words = (typed ?? "").Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return [];
        }

        if (typed!.Length > MaxLength)
        {
            throw new InvalidException($"Type at most {MaxLength} characters of a name, class or number.") { Field = "q" };
        }

        var current = visible.AsNoTracking().Where(p => p.LeftOn == null);
        var query = current;
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
        // A class name may have a space in it ("3 Oak"): the whole text as a class comes first.
        var whole = string.Join(' ', words);
        var inClass = await current.Where(p => p.ClassName != null && p.ClassName.ToLower() == whole)
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ThenBy(p => p.ExternalId).Take(max).ToListAsync(cancellationToken);
        if (inClass.Count > 0)
        {
            return inClass.Select(PersonChoice.Of).ToList();
        }

        foreach (var word in words.Take(4))
        {
            query = query.Where(p => p.GivenName.ToLower().Contains(word) || p.FamilyName.ToLower().Contains(word)
                || (p.ClassName != null && p.ClassName.ToLower() == word) || p.ExternalId.ToLower().StartsWith(word));
        }
#pragma warning restore CA1862, CA1311

        var people = await query.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ThenBy(p => p.ExternalId).Take(max).ToListAsync(cancellationToken);
        return people.Select(PersonChoice.Of).ToList();
    }

    private static async Task<bool> MatchesAsync(IQueryable<Person> visible, Guid key, string typed, CancellationToken cancellationToken)
    {
        var person = await visible.AsNoTracking().FirstOrDefaultAsync(p => p.Id == key, cancellationToken);
        // The choice stands when the text names that person: the script's label, the name, or a search the person is
        // in (a choice from the list an unclear search showed).
        return person is null
            || string.Equals(PersonChoice.Of(person).Label, typed, StringComparison.OrdinalIgnoreCase)
            || string.Equals(person.FullName, typed, StringComparison.OrdinalIgnoreCase)
            || (typed.Length <= MaxLength && (await FindAsync(visible, typed, 50, cancellationToken)).Any(c => c.Key == key));
    }

    /// <summary>
    /// Resolves a picker's post. A chosen key (the script's choice, or a choice from the list shown after an unclear
    /// search) must be someone the caller may see. Typed text alone picks the one person it matches exactly (full name,
    /// admission number or staff code) or the only one the search finds; otherwise the page lists who it might be.
    /// </summary>
    public static async Task<PersonPick> ResolveAsync(IQueryable<Person> visible, Guid? chosen, string? typed, CancellationToken cancellationToken)
    {
        // Without a script the key stays in its hidden field when someone retypes the name: what they typed then wins.
        if (chosen is { } key && (string.IsNullOrWhiteSpace(typed) || await MatchesAsync(visible, key, typed.Trim(), cancellationToken)))
        {
            var person = await visible.AsNoTracking().FirstOrDefaultAsync(p => p.Id == key, cancellationToken);
            return person is null ? new PersonPick(null, [], "That person is not one you can choose; search again.") : new PersonPick(person, [], null);
        }

        var text = typed?.Trim() ?? "";
        if (text.Length == 0)
        {
            return PersonPick.Nobody;
        }

        if (text.Length > MaxLength)
        {
            return new PersonPick(null, [], $"Type at most {MaxLength} characters of a name, class or number.");
        }

        var lower = text.ToLowerInvariant();
#pragma warning disable CA1862, CA1311
        var exact = await visible.AsNoTracking()
            .Where(p => p.ExternalId.ToLower() == lower || (p.GivenName + " " + p.FamilyName).ToLower() == lower)
            .Take(2).ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
        if (exact.Count == 1)
        {
            return new PersonPick(exact[0], [], null);
        }

        var found = await FindAsync(visible, text, MaxResults, cancellationToken);
        if (found.Count == 1 && exact.Count == 0)
        {
            return new PersonPick(await visible.AsNoTracking().FirstAsync(p => p.Id == found[0].Key, cancellationToken), [], null);
        }

        return found.Count == 0
            ? new PersonPick(null, [], $"Nobody you can choose matches \"{text}\". Try part of the name, the class or the admission number.")
            : new PersonPick(null, found, $"More than one person matches \"{text}\": choose one.");
    }
}

