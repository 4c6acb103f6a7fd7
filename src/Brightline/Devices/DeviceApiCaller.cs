using System.Security.Claims;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Portal;

namespace Brightline.Devices;

/// <summary>
/// Who is calling a devices API endpoint (lost property, lost or stolen, leavers): the installation's API key (a
/// machine, trusted as a device keeper, as the register's own API trusts it) or a staff session, whose roles decide
/// as the portal's pages do.
/// </summary>
internal static class DeviceApiCaller
{
    public static bool IsMachine(ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, ApiKeyAuthenticationHandler.SchemeName, StringComparison.Ordinal));

    public static bool IsKeeper(ClaimsPrincipal user) => IsMachine(user) || PortalRoles.DeviceKeepers.Any(user.IsInRole);

    /// <summary>The portal's pages for lost property and leavers are the device keepers'; so are these endpoints.</summary>
    public static void RequireKeeper(ClaimsPrincipal user, string what)
    {
        if (!IsKeeper(user))
        {
            throw new ForbiddenException($"Only the school's device keepers (admin, head, computing lead, business manager, IT provider) may use {what}.");
        }
    }

    /// <summary>
    /// The keepers-only endpoints' opening: refuses a caller who is not a device keeper (naming <paramref name="what"/>),
    /// then resolves the school (a staff session's own; the machine key's <c>?school=</c>).
    /// </summary>
    public static async Task<string> KeeperSchoolAsync(HttpContext http, PolicyStore store, string? school, string what, CancellationToken ct)
    {
        RequireKeeper(http.User, what);
        return await store.ResolveSchoolAsync(school, ct);
    }

    public static string Name(HttpContext http) => http.User.Identity?.Name is { Length: > 0 } name ? name : "api";

    public static string UserId(HttpContext http) => http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "api";

    public static Guid? PersonId(HttpContext http) => Guid.TryParse(http.User.FindFirstValue(PortalClaims.Person), out var id) ? id : null;

    public static Guid ParseId(string id, string what) => Guid.TryParse(id, out var value) ? value
        : throw new InvalidException($"'{id}' is not a {what} id (expected a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).", "Malformed id");

    /// <summary>
    /// <c>?format=csv</c> on a list endpoint exports the whole filtered list; anything but csv or json is a mistake
    /// said in words rather than silently answered as JSON.
    /// </summary>
    public static bool WantsCsv(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "json" => false,
        "csv" => true,
        _ => throw new InvalidException($"'{format}' is not an export format; use format=csv, or leave it out for JSON."),
    };
}
