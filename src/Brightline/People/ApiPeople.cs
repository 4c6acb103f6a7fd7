using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Data;
using Microsoft.EntityFrameworkCore;
using Brightline.Portal;

namespace Brightline.People;

/// <summary>Shared by the people, agreements and access endpoints: turning a route id into a person.</summary>
internal static class ApiPeople
{
    public static async Task<Data.Entities.Person> FindAsync(BrightlineDbContext db, string id, string? school, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var personId))
        {
            throw new InvalidException($"'{id}' is not a person id (expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).", "Malformed id");
        }

        // A person id is unique across the installation, so the school is only a filter when given.
        var query = db.People.AsNoTracking().Where(p => p.Id == personId);
        if (!string.IsNullOrWhiteSpace(school))
        {
            query = query.Where(p => p.SchoolId == school);
        }

        return await query.FirstOrDefaultAsync(ct) ?? throw new NotFoundException($"There is no person {personId}.");
    }

    public static string Actor(HttpContext http) =>
        http.User.Identity?.Name is { Length: > 0 } name ? name : "api";
}
