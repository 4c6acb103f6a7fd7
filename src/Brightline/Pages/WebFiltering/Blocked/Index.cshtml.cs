using System.Net;
using Brightline.Access;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Brightline.WebFiltering;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Brightline.Pages.WebFiltering.Blocked;

/// <summary>
/// The block page (any foreign Host, or <c>/blocked?host=…</c>): names the site, the category and the rule in
/// words fit for the group, shows a person the gate refuses which agreement to sign, and takes unblock
/// requests and reports of a miss (O20). Works without JavaScript and without signing in.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.PublicForms)]
public sealed class IndexModel(FilterRequestService requests, PortalScope scope, BlockPageTicket tickets) : PageModel
{
    /// <summary>The browser extension's ticket (<see cref="BlockPageTicket"/>): whose block this is, and why.</summary>
    [BindProperty(SupportsGet = true, Name = BlockPageTicket.QueryName)]
    public string? Why { get; set; }

    /// <summary>The reason the browser extension's decision gave, when the page was opened from a valid ticket.</summary>
    public string? ExtensionReason { get; private set; }

    /// <summary>What decided the extension's block (agreement, sanction, schedule, category, illegal, rule), from its ticket.</summary>
    public string? ExtensionKind { get; private set; }

    /// <summary>The gate refused this person because they have not signed an agreement (not for a sanction, nor for having left).</summary>
    public bool AgreementGate => Refused?.Code == AccessGate.UnsignedCode;

    /// <summary>
    /// The person has signed and only a parent's countersignature is missing (issue 17, defect 3): telling them to "sign
    /// your agreement first" would send them to sign again; they need to know their parent signs next.
    /// </summary>
    public bool WaitsForParentOnly => AgreementGate && Refused is { WaitsForSelf: false, WaitsForParent: true };

    /// <summary>
    /// The page's heading, matching why the person is refused or the site blocked, in words for their age: a sanction
    /// is not "sign your agreement", and a schedule's block says it is for now.
    /// </summary>
    public string Heading
    {
        get
        {
            var young = Audience == BlockAudience.Young;
            if (Refused is { } refused)
            {
                return refused.Code switch
                {
                    AccessGate.UnsignedCode when WaitsForParentOnly => young ? "Your grown-up needs to sign too" : "Your parent or carer needs to sign too",
                    AccessGate.UnsignedCode => "Sign your agreement first",
                    AccessGate.LeftCode => "This account has left the school",
                    _ => young ? "The internet is off for you for now" : "Your internet access is paused",
                };
            }

            if (Explanation is not { Blocked: true })
            {
                return Explanation is null ? "Ask about a website" : "This website is not blocked";
            }

            return (ExtensionKind, Audience) switch
            {
                ("schedule", BlockAudience.Young) => "Not now! This website is for another time.",
                ("schedule", _) => "This website is blocked at this time",
                ("sanction", BlockAudience.Young) => "This website is off for you for now",
                ("sanction", _) => "This website is blocked for you for now",
                (_, BlockAudience.Young) => "Stop! This website is not for school.",
                (_, BlockAudience.Junior) => "This website is blocked at school",
                _ => "This website is blocked",
            };
        }
    }

    [BindProperty(SupportsGet = true, Name = "host")]
    public string? HostInput { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Category { get; set; }

    public string? Host { get; private set; }

    public FilterClient? Client { get; private set; }

    public BlockExplanation? Explanation { get; private set; }

    public BlockAudience Audience => Client?.Audience ?? BlockAudience.Adult;

    public AccessReason? Refused => Client?.Refused;

    public string PortalUrl { get; private set; } = "";

    public long? SentId { get; private set; }

    public string? Error { get; private set; }

    /// <summary>True when the request came to a blocked host's name (not the portal's own), so links must be absolute.</summary>
    public bool ForeignHost => HttpContext.Items.ContainsKey(BlockPageHosts.ItemKey);

    public string? AskWho { get; private set; }

    public string? AskEmail { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Client is null)
        {
            Error = "This device is not on a school network the portal knows, so the request cannot be sent. Ask a member of staff.";
            return Page();
        }

        var kind = FilterRequestKind.Unblock;
        if (Kind is not null && !FilterRequestKinds.Words.TryParse(Kind, out kind))
        {
            // The two forms post "unblock" or "miss"; anything else was not sent by this page.
            Error = "The request was not understood. Use one of the two forms on this page.";
            return Page();
        }

        if (Host is null)
        {
            ModelState.AddModelError("host", "Enter the website's address, for example www.example.com.");
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError(kind == FilterRequestKind.Miss ? "miss-reason" : "reason", kind == FilterRequestKind.Miss
                ? "Say what is wrong with the site, so it can be checked."
                : "Say what the site is needed for, so the computing lead can decide.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        try
        {
            var actor = scope.IsSignedIn ? scope.UserName : $"block page ({Client.Address})";
            var created = await requests.CreateAsync(Client, kind, Host!, Reason!, Category, actor, cancellationToken);
            SentId = created.Id;
        }
        catch (DomainException ex)
        {
            Error = ex.Message;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Host = FilterRequestService.NormaliseHost(HttpContext.Items[BlockPageHosts.ItemKey] as string ?? HostInput);
        var address = HttpContext.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        // A valid ticket from the browser extension names the person the block was decided for; otherwise the
        // signed-in person, a DNS binding or the network decides who is asking.
        var ticket = tickets.Read(Why);
        if (ticket is not null && (Host is null || string.Equals(Host, ticket.Host, StringComparison.Ordinal)))
        {
            Host = ticket.Host;
            ExtensionReason = ticket.Reason;
            ExtensionKind = ticket.Kind;
            Client = await requests.ClientAsync(address, ticket.SchoolId, ticket.PersonId, cancellationToken);
        }
        else
        {
            Why = null;
            Client = await requests.ClientAsync(address, scope.SchoolId, scope.PersonId, cancellationToken);
        }

        PortalUrl = requests.BaseUrl();
        if (Client is null)
        {
            return;
        }

        (AskWho, AskEmail) = await requests.WhoDecidesAsync(Client.School, cancellationToken);
        if (Host is not null)
        {
            Explanation = requests.Explain(Client.School, Client.Profiles, Host, exemptions: Client.Exemptions);
            if (ExtensionReason is not null && !Explanation.Blocked)
            {
                // Blocked for a reason the profile alone does not show (a sanction's restricted categories): say so.
                Explanation = Explanation with { Blocked = true, Summary = ExtensionReason };
            }

        }
    }

    public string PortalLink(string path) => ForeignHost ? PortalUrl + path : path;
}
