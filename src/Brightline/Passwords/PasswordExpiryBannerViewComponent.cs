using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;

namespace Brightline.Passwords;

/// <summary>On every page, from <c>warn_before_days</c> before a password's maximum age (issue 15; C16, H13): "Your password expires on 05/01/2027".</summary>
public sealed class PasswordExpiryBannerViewComponent(PortalScope scope, PasswordExpiry expiry) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (scope.UserId is not { } userId || HttpContext.Request.Path.StartsWithSegments("/account/password", StringComparison.OrdinalIgnoreCase))
        {
            return Content("");
        }

        var status = await expiry.StatusAsync(userId, HttpContext.RequestAborted);
        if (!status.Warn || status.ExpiresOn is not { } on)
        {
            return Content("");
        }

        // Only a date and fixed words: nothing here comes from a user.
        return new HtmlContentViewComponentResult(new HtmlString(
            $"<div class=\"banner warn\" role=\"status\" id=\"password-expiry\"><p>Your password expires on {SchoolClock.Uk(on)}. <a href=\"/account/password\">Change it now</a>.</p></div>"));
    }
}
