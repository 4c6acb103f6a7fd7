using Microsoft.AspNetCore.Mvc;

namespace Brightline.Portal;

/// <summary>
/// Where each role starts (issue 17, defect 2d): the page a role comes to Brightline for, so that signing in, signing an
/// agreement or clicking through the acknowledgement lands a safeguarding lead on her alert queue rather than on a
/// dashboard she then has to leave. A return address the person was on their way to always wins over the home.
/// </summary>
public static class PortalHome
{
    /// <summary>The alert queue for the safeguarding leads, the filtering page for those who run the filter, the dashboard for everyone else.</summary>
    public static string For(PortalScope scope)
    {
        // The head also sees the queue, but leads the whole school: the dashboard is the head's home.
        if (scope.HasAnyRole([PortalRoles.Dsl, PortalRoles.DeputyDsl]))
        {
            return "/monitoring";
        }

        if (scope.HasAnyRole([PortalRoles.ComputingLead, PortalRoles.ItProvider, PortalRoles.ItSupport]) && !scope.HasAnyRole([PortalRoles.Admin, PortalRoles.Head]))
        {
            return "/filtering";
        }

        return "/";
    }

    /// <summary>The return address if it is a local one other than the bare dashboard, otherwise the role's home.</summary>
    public static string ReturnOrHome(IUrlHelper url, string? returnUrl, PortalScope scope) =>
        IsReturnAddress(url, returnUrl) ? returnUrl! : For(scope);

    /// <summary>
    /// A local address worth returning to. The bare dashboard and <see cref="Path"/> are not: they are where a sign-in
    /// lands when the person asked for nothing in particular, so going "back" to them would hide the role's home.
    /// </summary>
    public static bool IsReturnAddress(IUrlHelper url, string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl)
        && !string.Equals(returnUrl, "/", StringComparison.Ordinal) && !string.Equals(returnUrl, Path, StringComparison.Ordinal);

    /// <summary>Where a finished sign-in goes: the page the person was on their way to, else <see cref="Path"/>.</summary>
    public static string AfterSignIn(IUrlHelper url, string? returnUrl) => IsReturnAddress(url, returnUrl) ? returnUrl! : Path;

    /// <summary>The page a plain sign-in goes to, which sends each role on to its home (Pages/Portal/Home).</summary>
    public const string Path = "/home";
}
