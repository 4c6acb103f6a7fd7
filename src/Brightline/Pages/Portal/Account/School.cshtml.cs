using Brightline.Data;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Portal.Account;

/// <summary>The school switcher: one school is shown at a time; the choice lives in a cookie, checked against the user's memberships on every request.</summary>
public sealed class SchoolModel(BrightlineDbContext db, PortalScope scope) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(string? schoolId, CancellationToken cancellationToken)
    {
        var userId = scope.UserId;
        if (schoolId is not null && userId is not null
            && await db.SchoolMemberships.AnyAsync(m => m.UserId == userId && m.SchoolId == schoolId, cancellationToken))
        {
            Response.Cookies.Append(PortalClaimsTransformation.SchoolCookie, schoolId, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = Request.IsHttps,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(180),
            });
        }

        return Redirect("/");
    }
}
