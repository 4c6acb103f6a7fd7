using System.Security.Claims;
using Brightline.Portal;

namespace Brightline.Demo;

/// <summary>
/// Lets the demo act as a named member of staff in services that take the signed-in user from the request
/// (<see cref="PortalScope"/>: the alert queue's triage), so what they record — notes, outcomes, audit entries — is
/// exactly what the portal records when that person clicks. Only the seeder uses it, before the portal starts.
/// </summary>
internal sealed class DemoStaff : IAsyncDisposable
{
    private readonly IHttpContextAccessor _accessor;
    private readonly AsyncServiceScope _scope;

    private DemoStaff(AsyncServiceScope scope, IHttpContextAccessor accessor)
    {
        _scope = scope;
        _accessor = accessor;
    }

    public IServiceProvider Services => _scope.ServiceProvider;

    public static DemoStaff SignIn(IServiceProvider services, string schoolId, string userName, Guid? personId, params string[] roles)
    {
        var scope = services.CreateAsyncScope();
        var claims = new List<Claim> { new(ClaimTypes.Name, userName), new(PortalClaims.School, schoolId), new(PortalClaims.SchoolCount, "1") };
        if (personId is { } id)
        {
            claims.Add(new Claim(PortalClaims.Person, id.ToString()));
        }

        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity(claims, "demo")), RequestServices = scope.ServiceProvider };
        return new DemoStaff(scope, accessor);
    }

    public async ValueTask DisposeAsync()
    {
        _accessor.HttpContext = null;
        await _scope.DisposeAsync();
    }
}
