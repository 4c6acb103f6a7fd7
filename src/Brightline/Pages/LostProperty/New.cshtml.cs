using Brightline.Kernel;
using Brightline.LostProperty;
using Brightline.Portal;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.LostProperty;

/// <summary>Logs a device found on site (H15): it joins the register as ownership unknown, state found.</summary>
public sealed class NewModel(PortalScope scope, LostPropertyService lostProperty, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Serial { get; set; }

    [BindProperty]
    public string? FoundWhere { get; set; }

    [BindProperty]
    public DateOnly? FoundOn { get; set; }

    [BindProperty]
    public TimeOnly? FoundTime { get; set; }

    [BindProperty]
    public string? FoundBy { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet()
    {
        if (!LostPropertyPages.IsKeeper(scope))
        {
            return Forbid();
        }

        FoundOn = SchoolClock.Today(time);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!LostPropertyPages.IsKeeper(scope))
        {
            return Forbid();
        }

        // No time given: now when found today, otherwise noon of that day (a time in the future would be refused).
        DateTimeOffset? at = FoundOn is not { } day ? null
            : FoundTime is { } t ? SchoolClock.FromUk(day.ToDateTime(t))
            : day == SchoolClock.Today(time) ? null
            : SchoolClock.FromUk(day.ToDateTime(new TimeOnly(12, 0)));
        try
        {
            var device = await lostProperty.LogFoundAsync(LostPropertyPages.Actor(scope), new NewFoundDevice(Kind, Description, Serial, FoundWhere, at, FoundBy), cancellationToken);
            return Redirect($"/devices/found/{device.Id}");
        }
        catch (InvalidException e)
        {
            Error = e.Message;
            return Page();
        }
    }
}
