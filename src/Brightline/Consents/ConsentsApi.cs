using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Brightline.Portal;

namespace Brightline.Consents;

/// <summary>
/// <c>/api/v1/consents</c> (F11, C14): each child's consent in a class, and the publication check a school website's
/// publishing tool asks before it posts an image ("may these children appear on the website?"). Authorised as the other
/// <c>/api/v1</c> routes — the installation's API key naming the school, or a staff session in its own school whose role
/// reads consent lists. Bad input is a ProblemDetails answer naming the <c>field</c>.
/// </summary>
internal static class ConsentsApi
{
    public const string Prefix = "/api/v1/consents";

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization(PortalPolicies.Api).AddEndpointFilterFactory(ApiSchoolScope.Factory);
        api.MapGet("/", ListAsync);
        api.MapGet("/check", CheckAsync);
    }

    private static async Task<IResult> ListAsync(string? school, string? @class, HttpContext http, PolicyStore store, ConsentRegister register,
        Brightline.Data.BrightlineDbContext db, CancellationToken ct)
    {
        var schoolId = await SchoolAsync(http, store, school, ct);
        if (string.IsNullOrWhiteSpace(@class))
        {
            throw new InvalidException("Name the class: class=… (as the people import spells it, e.g. 3 Oak).") { Field = "class" };
        }

        var children = await register.ClassAsync(db.People, schoolId, @class, ct);
        if (children.Count == 0)
        {
            throw new InvalidException($"There is no class '{@class.Trim()}' with pupils at this school.") { Field = "class" };
        }

        var states = await register.StatesAsync(schoolId, children, ct);
        return Results.Ok(new
        {
            school = schoolId, @class = @class.Trim(), academicYear = await register.CurrentYearAsync(schoolId, ct),
            children = states.Select(s => new
            {
                id = s.Child.Id, firstName = s.Child.GivenName, name = s.Child.FullName,
                consents = s.Cells.Select(c => new
                {
                    question = c.Question.Id, channel = c.Question.Channel, parental = Word(c.Parental), verbal = c.Verbal is { } v ? Word(v) : null,
                    allowed = c.Allows,
                }),
            }),
        });
    }

    private static async Task<IResult> CheckAsync(string? school, string? channel, string? children, HttpContext http, PolicyStore store, ConsentRegister register,
        CancellationToken ct)
    {
        var schoolId = await SchoolAsync(http, store, school, ct);
        if (string.IsNullOrWhiteSpace(channel))
        {
            throw new InvalidException($"Name the channel: channel=… (one of {string.Join(", ", ConsentChannels.All)}).") { Field = "channel" };
        }

        var ids = new List<Guid>();
        foreach (var part in (children ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ids.Add(Guid.TryParse(part, out var id) ? id
                : throw new InvalidException($"'{part}' is not a child's id (expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).", "Malformed id") { Field = "children" });
        }

        var check = await register.CheckPublicationAsync(schoolId, ids, channel.Trim(), http.User.Identity?.Name is { Length: > 0 } n ? n : "api", ct);
        return Results.Ok(new
        {
            school = schoolId, channel = check.Channel, allowed = check.Allowed,
            // First names only in what a publishing tool shows (F11, C14).
            children = check.Children.Select(c => new { id = c.Id, firstName = c.GivenName, allowed = check.Gaps.All(g => g.Child.Id != c.Id) }),
            missing = check.Gaps.Select(g => new { child = g.Child.Id, firstName = g.Child.GivenName, question = g.QuestionId, parental = g.LacksParental, verbal = g.LacksVerbal, reason = g.Reason }),
            reminders = check.Reminders,
        });
    }

    private static string Word(ConsentState state) => state switch
    {
        ConsentState.Yes => "yes",
        ConsentState.No => "no",
        ConsentState.NotAsked => "not_asked",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>A staff session must read consent lists (a teacher's session is not an API user); the API key names the school.</summary>
    private static async Task<string> SchoolAsync(HttpContext http, PolicyStore store, string? school, CancellationToken ct)
    {
        var user = http.User;
        var machine = user.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, ApiKeyAuthenticationHandler.SchemeName, StringComparison.Ordinal));
        if (!machine && !ConsentRoles.Readers.Any(user.IsInRole))
        {
            throw new ForbiddenException("Only staff who read the consent lists may use the consents API.");
        }

        return await store.ResolveSchoolAsync(school, ct);
    }
}
