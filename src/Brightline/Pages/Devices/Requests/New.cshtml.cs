using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DeviceRequests;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policy.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.Devices.Requests;

/// <summary>
/// "Ask to bring a device": first whose device and which kind (yourself, a child, a pupil), then — when the policy's rule
/// for that person's group allows it — the device, the reason and the attestations the rule asks for, in the policy's
/// words. When the group may not ask (H3: nobody in EYFS) the page shows the policy's reason instead of the form.
/// </summary>
public sealed class NewModel(DeviceRequestService requests, BrightlineDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "for")]
    public Guid? For { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "renews")]
    public Guid? Renews { get; set; }

    /// <summary>Staff who see the whole school type a pupil's name or admission number.</summary>
    [BindProperty(SupportsGet = true, Name = "who")]
    public string? Who { get; set; }

    [BindProperty]
    public string? DeviceKind { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? MakeModel { get; set; }

    [BindProperty]
    public string? Serial { get; set; }

    [BindProperty]
    public string? Macs { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public List<string> Attestations { get; set; } = [];

    /// <summary>O19: "I agree" to the rule's agreement, when it has one.</summary>
    [BindProperty]
    public bool Agreed { get; set; }

    public IReadOnlyList<(Person Person, string As)> Askable { get; private set; } = [];

    public bool TypesName { get; private set; }

    public DeviceRequestCheck? Check { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken);
        await LoadAsync(actor, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = await DeviceRequestsModule.ActorAsync(HttpContext, db, cancellationToken);
        if (For is not { } personId)
        {
            await LoadAsync(actor, cancellationToken);
            Error = "Choose whose device it is.";
            return Page();
        }

        try
        {
            var created = await requests.AskAsync(actor, new NewDeviceRequest(personId, Kind, DeviceKind, Description, MakeModel, Serial, Macs, Reason, Attestations, Renews, Agreed), cancellationToken);
            return Redirect($"/devices/requests/{created.Id}");
        }
        catch (InvalidException e) when (e.Field == DeviceRequestService.AgreedField)
        {
            // The error summary links to the tick box; the agreement's words are beside it already, so they are not repeated.
            ModelState.AddModelError(nameof(Agreed), "Tick \u201cI agree\u201d to accept the school's agreement before sending the request.");
            await LoadAsync(actor, cancellationToken);
            return Page();
        }
        catch (DomainException e) when (e is not NotFoundException)
        {
            Error = e.Message;
            await LoadAsync(actor, cancellationToken);
            return Page();
        }
    }

    private async Task LoadAsync(DeviceRequestActor actor, CancellationToken cancellationToken)
    {
        Askable = await requests.AskableAsync(actor, cancellationToken);
        TypesName = DeviceRequestService.SeesWholeSchool(actor);
        if (Renews is { } renewId && await requests.FindAsync(actor.SchoolId, renewId, cancellationToken) is { } old && await requests.MayReadAsync(actor, old, cancellationToken))
        {
            For = old.PersonId;
            Kind = old.Kind;
            if (Request.Method == HttpMethods.Get)
            {
                DeviceKind = old.DeviceKind.Key();
                Description = old.Description;
                MakeModel = old.MakeModel;
                Serial = old.Serial;
                Macs = old.Macs;
                Reason = old.Reason;
            }
        }

        if (For is null && TypesName && !string.IsNullOrWhiteSpace(Who))
        {
            try
            {
                For = (await PersonLookup.FindOneAsync(db, actor.SchoolId, Who, cancellationToken)).Id;
            }
            catch (DomainException e)
            {
                Error = e.Message;
            }
        }

        if (For is { } personId && Kind is { Length: > 0 })
        {
            try
            {
                Check = await requests.CheckAsync(actor, personId, Kind, cancellationToken);
            }
            catch (DomainException e)
            {
                Error = e is NotFoundException ? "You cannot ask for that person's device." : e.Message;
            }
        }
    }

    public static string KindKey(DeviceRequestCheck check) => check.Kind;

    public static IReadOnlyList<string> AllKinds => DeviceRequestKindKeys.All;
}
