using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.People;

/// <summary>
/// Finds the one person a member of staff means by what they typed on a form: an admission number or
/// staff code (the MIS ID), or a full name, ignoring case. Exact matches only, so a typo never picks
/// the wrong child; a name two people share asks for the number instead.
/// </summary>
public static class PersonLookup
{
    public static async Task<Person> FindOneAsync(BrightlineDbContext db, string schoolId, string? typed, CancellationToken cancellationToken)
    {
        var text = typed?.Trim() ?? "";
        if (text.Length is 0 or > 200)
        {
            throw new InvalidException("Enter the person's admission number, staff code or full name.");
        }

        var lower = text.ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
        var matches = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && (p.ExternalId.ToLower() == lower || (p.GivenName + " " + p.FamilyName).ToLower() == lower))
            .Take(3).ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
        return matches.Count switch
        {
            0 => throw new InvalidException($"Nobody at the school has the name or number \"{text}\"."),
            1 => matches[0],
            _ => throw new InvalidException("More than one person matches; use the admission number or staff code."),
        };
    }
}
