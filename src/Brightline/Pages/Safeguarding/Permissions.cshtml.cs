using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Safeguarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Pages.Safeguarding;

/// <summary>H17: ask for, grant or decline permission to inspect a person's stored email content.</summary>
public sealed class PermissionsModel(ContentPermissions permissions, AlertQueue queue, BrightlineDbContext db) : PageModel
{
    public IReadOnlyList<MonitoringContentPermission> Items { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Names { get; private set; } = new Dictionary<Guid, string>();

    public bool CanDecide { get; private set; }

    public bool CanRequest { get; private set; }

    public string? Message { get; private set; }

    [BindProperty(SupportsGet = true)] public Guid? Person { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public int Days { get; set; } = 7;
    [BindProperty] public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(string? done, CancellationToken cancellationToken)
    {
        Message = done switch
        {
            "requested" => "Your request has been recorded. The headteacher or bursar must grant it before the content is shown.",
            "granted" => "Permission granted.",
            "declined" => "Request declined.",
            _ => null,
        };
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken cancellationToken)
    {
        if (!await queue.CanViewEverythingAsync(cancellationToken))
        {
            return Forbid();
        }

        try
        {
            await permissions.RequestAsync(Person ?? Guid.Empty, Reason ?? "", Days, cancellationToken);
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            ModelState.AddModelError(nameof(Reason), e.Message);
            return await ShowAsync(cancellationToken);
        }
        catch (NotFoundException e)
        {
            ModelState.AddModelError(nameof(Person), e.Message);
            return await ShowAsync(cancellationToken);
        }

        return Redirect("/monitoring/permissions?done=requested");
    }

    public Task<IActionResult> OnPostGrantAsync(long id, CancellationToken cancellationToken) => DecideAsync(id, true, cancellationToken);

    public Task<IActionResult> OnPostDeclineAsync(long id, CancellationToken cancellationToken) => DecideAsync(id, false, cancellationToken);

    private async Task<IActionResult> DecideAsync(long id, bool grant, CancellationToken cancellationToken)
    {
        if (!await permissions.CanDecideAsync(cancellationToken))
        {
            return Forbid();
        }

        try
        {
            await permissions.DecideAsync(id, grant, Note, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(Note), e.Message);
            return await ShowAsync(cancellationToken);
        }

        return Redirect($"/monitoring/permissions?done={(grant ? "granted" : "declined")}");
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        CanRequest = await queue.CanViewEverythingAsync(cancellationToken);
        CanDecide = await permissions.CanDecideAsync(cancellationToken);
        if (!CanRequest && !CanDecide)
        {
            return Forbid();
        }

        Items = await permissions.ListAsync(cancellationToken);
        var ids = Items.Select(i => i.PersonId).Append(Person ?? Guid.Empty).Distinct().ToList();
        Names = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.FullName, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public string NameOf(Guid id) => Names.TryGetValue(id, out var n) ? n : "Unknown person";
}
