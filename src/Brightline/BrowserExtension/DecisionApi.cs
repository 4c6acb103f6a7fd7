using System.Security.Claims;
using Brightline.Access;
using Brightline.DnsFiltering;
using Brightline.Dns.Policy;
using Brightline.Filtering;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Policies;

using Microsoft.AspNetCore.Mvc;

namespace Brightline.BrowserExtension;

/// <summary>
/// The browser extension's endpoints: enrolment, and the decision API. A decision is the DNS filter's own
/// (<see cref="FilterDnsPolicy.DecideForPersonAsync"/>, the same gate cache and access-change events), given the
/// whole URL so the profiles' path rules apply too, and translated for a browser: allow, or block with the
/// reason in words and a link to the portal's block page.
/// </summary>
public static class DecisionApi
{
    public const string EnrolPath = "/api/v1/extension/enrol";
    public const string DecisionsPath = "/api/v1/decisions";

    /// <summary>URLs one batch may carry: a page and its frames, or a prefetch of links.</summary>
    public const int MaxUrls = 100;

    /// <summary>The ProblemDetails code of a batch over <see cref="MaxUrls"/>.</summary>
    public const string TooManyUrls = "too-many-urls";

    internal static async Task<IResult> EnrolAsync(HttpContext context, [FromBody] EnrolmentRequest? request, ExtensionEnrolment enrolment, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid", "Malformed enrolment", "Send a JSON object with enrolmentKey, email, deviceId and deviceName.");
        }

        try
        {
            var enrolled = await enrolment.EnrolAsync(request, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            context.Response.Headers.CacheControl = "no-store";
            return Results.Ok(EnrolmentResponse.From(enrolled));
        }
        catch (EnrolmentRefusedException refused)
        {
            return Problem(refused.Status, refused.Code, refused.Title, refused.Message);
        }
    }

    internal static async Task<IResult> DecideAsync(
        HttpContext context,
        [FromBody] DecisionBatch? batch,
        FilterService filters,
        FilterDnsPolicy dns,
        BlockPageTicket tickets,
        BlockLinkCache blockLinks,
        PortalLinks links,
        CancellationToken cancellationToken)
    {
        var schoolId = context.User.FindFirstValue(ExtensionClaims.School)!;
        var personId = Guid.Parse(context.User.FindFirstValue(ExtensionClaims.Person)!);
        if (batch?.Urls is { Count: > MaxUrls } tooMany)
        {
            return Problem(StatusCodes.Status400BadRequest, TooManyUrls, "Too many addresses in one batch", $"A batch may carry at most {MaxUrls} addresses; this one has {tooMany.Count}. Send them in several batches.");
        }

        if (batch?.Urls is not { Count: > 0 } urls)
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid", "Malformed batch", $"Send a JSON object with a \"urls\" array of 1 to {MaxUrls} addresses.");
        }

        var school = filters.Find(schoolId) ?? await filters.GetAsync(schoolId, cancellationToken);
        filters.RefreshInBackgroundIfStale();
        var baseUrl = links.BaseUrl();
        var own = Uri.TryCreate(baseUrl, UriKind.Absolute, out var b) ? b.Authority : null;
        var decisions = new List<UrlDecision>(urls.Count);
        foreach (var url in urls)
        {
            if (url is null || url.Length > 4096 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.IdnHost.Length == 0)
            {
                decisions.Add(new UrlDecision(url ?? "", "block", "This is not a web address Brightline can check.", null, "invalid_url", null, 0, BlockKinds.Invalid));
                continue;
            }

            // Brightline's own portal (sign in, agreements, the block page) is always reachable, as the DNS filter's portal answer makes it.
            if (own is not null && string.Equals(uri.Authority, own, StringComparison.OrdinalIgnoreCase))
            {
                decisions.Add(new UrlDecision(url, "allow", null, null, "portal", null, 300));
                continue;
            }

            var answer = await dns.DecideForPersonAsync(school, personId, uri.IdnHost, uri.PathAndQuery, cancellationToken);
            if (answer is null)
            {
                // The person is no longer at the school: nothing to decide for them.
                return Problem(StatusCodes.Status403Forbidden, ExtensionEnrolment.Leaver, "Account no longer at the school", "This browser's account is no longer a member of the school. Enrol again with a current school account.");
            }

            decisions.Add(Translate(url, uri.IdnHost, answer, school, schoolId, personId, baseUrl, tickets, blockLinks));
        }

        var enforce = await EnforcementAsync(dns, school, personId, cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new DecisionResponse(decisions, enforce));
    }

    /// <summary>
    /// Safe search and YouTube Restricted Mode for this person, read from the DNS filter's answers for the names
    /// it rewrites (two in-memory decisions). While the gate refuses the person everything, the strictest is
    /// asked for: every site but the portal is blocked then anyway.
    /// </summary>
    internal static async ValueTask<SafetyEnforcement> EnforcementAsync(FilterDnsPolicy dns, SchoolFilter school, Guid personId, CancellationToken cancellationToken)
    {
        var google = await dns.DecideForPersonAsync(school, personId, "www.google.com", "/", cancellationToken);
        var youTube = await dns.DecideForPersonAsync(school, personId, "www.youtube.com", "/", cancellationToken);
        if (google?.Action == DnsPolicyAction.Portal || youTube?.Action == DnsPolicyAction.Portal)
        {
            return new SafetyEnforcement(true, SafetyEnforcement.Strict);
        }

        var safeSearch = google is { Action: DnsPolicyAction.Rewrite, RewriteTarget: SafeSearch.GoogleTarget };
        var mode = youTube is { Action: DnsPolicyAction.Rewrite } y
            ? y.RewriteTarget == SafeSearch.YouTubeStrictTarget ? SafetyEnforcement.Strict : SafetyEnforcement.Moderate
            : SafetyEnforcement.Off;
        return new SafetyEnforcement(safeSearch, mode);
    }

    private static UrlDecision Translate(string url, string host, DnsPolicyAnswer answer, SchoolFilter school, string schoolId, Guid personId, string baseUrl, BlockPageTicket tickets, BlockLinkCache blockLinks)
    {
        var ttl = (int)Math.Clamp((answer.TtlCap ?? TimeSpan.FromSeconds(school.Policy.Filtering.Dns.ShortTtlSeconds)).TotalSeconds, 0, 3600);
        var payload = answer.Payload;
        if (answer.Action is DnsPolicyAction.Forward or DnsPolicyAction.Rewrite)
        {
            return new UrlDecision(url, "allow", null, payload.Category, payload.Reason, null, ttl);
        }

        var kind = Kind(answer.Action, payload);
        var reason = Words(answer.Action, payload);
        var link = blockLinks.GetOrAdd(schoolId, personId, host, reason, kind, () =>
        {
            var ticket = tickets.Protect(new BlockTicket(schoolId, personId, host, reason) { Kind = kind });
            return $"{baseUrl}/blocked?host={Uri.EscapeDataString(host)}&{BlockPageTicket.QueryName}={Uri.EscapeDataString(ticket)}";
        });
        return new UrlDecision(url, "block", reason, payload.Category, payload.Reason, link, ttl, kind, kind == BlockKinds.Illegal);
    }

    /// <summary>What decided a block (<see cref="BlockKinds"/>), from the DNS filter's answer and its log reason.</summary>
    internal static string Kind(DnsPolicyAction action, DnsLogPayload payload)
    {
        if (action == DnsPolicyAction.Portal)
        {
            return payload.Reason switch
            {
                AccessGate.UnsignedCode => BlockKinds.Agreement,
                AccessGate.LeftCode => BlockKinds.Leaver,
                _ => BlockKinds.Sanction,
            };
        }

        var reason = payload.Reason ?? "";
        if (payload.Category is { } name && Categories.TryParse(name, out var c) && Categories.Get(c).IsIllegal
            || reason.StartsWith("illegal_category", StringComparison.Ordinal))
        {
            // Checked before sanctions and schedules: an illegal site is illegal whatever else also blocks it.
            return BlockKinds.Illegal;
        }

        if (reason.StartsWith("sanction:", StringComparison.Ordinal))
        {
            return BlockKinds.Sanction;
        }

        if (reason.StartsWith("schedule_block_all", StringComparison.Ordinal) || ScheduleOf(reason) is not null)
        {
            return BlockKinds.Schedule;
        }

        return reason.StartsWith("category", StringComparison.Ordinal) ? BlockKinds.Category : BlockKinds.Rule;
    }

    /// <summary>The schedule named in a log reason (<c>category: social during teaching-hours (rule …)</c>, <c>schedule_block_all: exams</c>).</summary>
    private static string? ScheduleOf(string reason)
    {
        if (reason.StartsWith("schedule_block_all: ", StringComparison.Ordinal))
        {
            return Cut(reason["schedule_block_all: ".Length..]);
        }

        var during = reason.IndexOf(" during ", StringComparison.Ordinal);
        return during < 0 ? null : Cut(reason[(during + " during ".Length)..]);

        static string Cut(string text)
        {
            var rule = text.IndexOf(" (rule ", StringComparison.Ordinal);
            return (rule < 0 ? text : text[..rule]).Trim();
        }
    }

    /// <summary>The reason in plain words: what a pupil or a member of staff reads on the block page and in the popup.</summary>
    internal static string Words(DnsPolicyAction action, DnsLogPayload payload)
    {
        if (action == DnsPolicyAction.Portal)
        {
            return payload.Reason switch
            {
                AccessGate.UnsignedCode => "Your internet access is switched off until you sign the school's acceptable use agreement.",
                AccessGate.LeftCode => "This account belongs to someone who has left the school.",
                SanctionRules.WithdrawnCode => "The school has withdrawn your internet access for now.",
                SanctionRules.SuspendedCode => "Your school account is suspended for now.",
                SanctionRules.MeetingCode => "Your internet access is paused until the school has met your parent or carer.",
                _ => "The school has switched off your internet access for now.",
            };
        }

        var category = payload.Category is { } name && Categories.TryParse(name, out var c) ? Categories.Get(c) : null;
        var words = category?.DisplayName.ToLowerInvariant();
        var kind = Kind(action, payload);
        if (kind == BlockKinds.Illegal)
        {
            return "This website is on a list of illegal content. It cannot be unblocked.";
        }

        if (kind == BlockKinds.Sanction)
        {
            return words is null ? "A sanction restricts websites like this one for you." : $"A sanction restricts {words} websites for you.";
        }

        if (kind == BlockKinds.Schedule)
        {
            var schedule = ScheduleOf(payload.Reason ?? "");
            // A schedule's name is the policy's identifier (teaching-hours); the page says it as words.
            var when = schedule is null ? "at this time" : $"during “{schedule.Replace('-', ' ').Replace('_', ' ')}”";
            return words is null
                ? $"Only the school's chosen websites can be opened {when}."
                : $"Websites in the category “{words}” are blocked {when}. Try again later.";
        }

        return words is null
            ? "This website is blocked by the school's filtering policy."
            : $"This website is blocked because it is in the category “{words}”.";
    }

    internal static IResult Problem(int status, string code, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
