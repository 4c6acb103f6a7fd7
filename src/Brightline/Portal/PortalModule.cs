using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

namespace Brightline.Portal;

public sealed class PortalModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddRouting(o => o.LowercaseUrls = true);

        services.AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                // The password rules are the Passwords feature's validator (the policy's passwords: section, or the
                // built-in 12 characters and 5 different — NCSC-style: length beats composition rules that push people
                // to "Password1!"); Identity's own length check would refuse a policy's shorter minimum (F3: 8).
                o.Password.RequiredLength = 1;
                o.Password.RequiredUniqueChars = 1;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                // Unique when present, but optional: OptionalEmailUserValidator (a primary pupil has no email address).
                o.User.RequireUniqueEmail = false;
                o.SignIn.RequireConfirmedAccount = false;
                o.Tokens.AuthenticatorTokenProvider = SingleUseAuthenticatorProvider.Name;
            })
            .AddEntityFrameworkStores<BrightlineDbContext>()
            .AddUserValidator<OptionalEmailUserValidator>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorProvider>(SingleUseAuthenticatorProvider.Name);

        services.AddTransportSecurity();
        services.AddPortalRateLimits();
        Kernel.Settings.AddSettings<ApiOptions>(services, ApiOptions.Section);
        // Behind TLS (Brightline:Https:Require) every cookie is Secure whatever the request; otherwise Secure
        // whenever the request came over HTTPS, directly or through a trusted proxy.
        var cookieSecurity = Kernel.Settings.AtRegistration<TransportSecurityOptions>(configuration, TransportSecurityOptions.Section).Require
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "brightline";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = cookieSecurity;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context =>
            {
                if (IsApi(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
            // A signed-in user asking for a page their role does not allow gets a real 403 (with the friendly page), not a redirect.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.PostConfigureAll<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(o =>
        {
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = cookieSecurity;
        });

        // The 403 page names who may open the page (issue 17, defect 2a): the refusal notes the page's roles on the request.
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RefusalRecordingResultHandler>();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Api, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName, IdentityConstants.ApplicationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c =>
                    c.User.Identities.Any(i => i.IsAuthenticated && string.Equals(i.AuthenticationType, ApiKeyAuthenticationHandler.SchemeName, StringComparison.Ordinal))
                    || PortalRoles.ApiUsers.Any(c.User.IsInRole)))
            .AddPolicy(PortalPolicies.SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(PortalPolicies.Admin, p => p.RequireRole(PortalRoles.Admin))
            .AddPolicy(PortalPolicies.WholeSchool, p => p.RequireRole(PortalRoles.WholeSchool))
            .AddPolicy(PortalPolicies.Staff, p => p.RequireRole(PortalRoles.StaffRoles))
            .AddPolicy(PortalPolicies.People, p => p.RequireRole(PortalRoles.PeopleReaders))
            .AddPolicy(PortalPolicies.Managers, p => p.RequireRole(PortalRoles.Managers))
            .AddPolicy(PortalPolicies.Audit, p => p.RequireRole(PortalRoles.AuditReaders));

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "brightline-af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = cookieSecurity;
        });

        services.AddRazorPages(o =>
        {
            // Deny by default: every page needs a signed-in user unless it is listed here.
            o.Conventions.AuthorizeFolder("/", PortalPolicies.SignedIn);
            // Anonymous pages are named one by one. [AllowAnonymous] beats every [Authorize], so allowing a whole
            // folder and then "authorising" a page inside it silently left that page open (issue 10, item 11).
            o.Conventions.AllowAnonymousToPage("/Portal/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Portal/Account/LoginTwoFactor");
            o.Conventions.AllowAnonymousToPage("/Portal/Account/ResetPassword");
            o.Conventions.AllowAnonymousToPage("/Portal/Setup");
            o.Conventions.AllowAnonymousToPage("/Agreements/Countersign");
            o.Conventions.AllowAnonymousToPage("/Consents/Answer");     // the parent's consent link (F11, C14), as the countersign link
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.ConfigureFilter(new UnhandledMethodFilter());
            o.Conventions.ConfigureFilter(new ExportAuditFilter());
        }).ConfigureApplicationPartManager(manager =>
        {
            // The pages live in this assembly, which is not the entry assembly when a test host or another
            // program builds the app; add it explicitly (once) so the pages are found either way.
            var assembly = typeof(PortalModule).Assembly;
            if (!manager.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
            {
                manager.ApplicationParts.Add(new AssemblyPart(assembly));
            }

            if (!manager.ApplicationParts.OfType<CompiledRazorAssemblyPart>().Any(p => p.Assembly == assembly))
            {
                manager.ApplicationParts.Add(new CompiledRazorAssemblyPart(assembly));
            }
        });

        services.AddMemoryCache();
        services.AddSingleton<UnknownAccountSignIns>();
        services.AddScoped<IClaimsTransformation, PortalClaimsTransformation>();
        services.AddScoped<PortalScope>();
        services.AddSingleton<FirstRunSetup>();
    }

    public void UseMiddleware(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Countersign links carry a token in the path: never send it to another site as a referrer.
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'";
            await next(context);
        });
        app.UseWhen(
            context => !IsApi(context.Request),
            branch => branch.UseStatusCodePagesWithReExecute("/error/{0}"));
        // Routing runs after the status-code middleware so a re-executed request (/error/403) is routed afresh.
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<PortalGate>();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<ApiCookieAntiforgery>();
    }

    public void MapEndpoints(WebApplication app)
    {
        app.MapTextAsset("/assets/site.css", SiteCss.Text, "text/css; charset=utf-8", 3600);
        // A favicon, so a school's tab is recognisable among many (issue 17); the browser asks for one regardless.
        app.MapTextAsset("/assets/favicon.svg", FaviconSvg, "image/svg+xml; charset=utf-8", 86400);
        app.MapTextAsset(PortalScript.Path, PortalScript.Text, "text/javascript; charset=utf-8", 3600);
        app.MapRazorPages();
    }

    // A shield in the header's blue with a tick: the product's mark, drawn small enough to read at 16 px.
    private const string FaviconSvg =
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#083d6e" d="M16 1 3 6v9c0 8 5.6 13.7 13 16 7.4-2.3 13-8 13-16V6z"/><path fill="none" stroke="#ffbf47" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round" d="m9.5 16 4.5 4.5 8.5-9"/></svg>""";

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
