using System.Net;
using Brightline.Access;
using Brightline.Audit;
using Brightline.ClientBindings;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using FilterRequest = Brightline.Filtering.FilterRequest;
using RequestEntity = Brightline.Data.Entities.FilterRequest;

namespace Brightline.WebFiltering;

/// <summary>
/// The block page's and the requests page's logic: who the client is, why a host is blocked for them, and
/// the unblock / report-a-miss requests with their approval into portal overrides (local allow/deny
/// entries, optionally time-limited) that <see cref="FilterService"/> compiles on top of the policy's lists.
/// Every change to what is blocked or allowed is kept on the request row, in the override row and in the audit log.
/// </summary>
public sealed partial class FilterRequestService(
    BrightlineDbContext db,
    FilterService filters,
    DnsClientBindings bindings,
    AccessGate gate,
    AuditLog audit,
    EmailSender email,
    TimeProvider time,
    PortalLinks links,
    Incidents.IncidentService incidents,
    IFilterExemptions filterExemptions,
    ILogger<FilterRequestService> logger)
{
    public const string AuditRequest = "filter-request";
    public const string AuditApprove = "filter-approve";
    public const string AuditDecline = "filter-decline";
    public const string AuditWithdraw = "filter-withdraw";

    /// <summary>
    /// Who the block page tells a person will look at their request (issue 17, defect 2): the computing lead or IT
    /// provider the policy names, but only when someone holds that role in Brightline; otherwise the head or
    /// administrator who can also decide; null when no account can decide at all, so the page does not promise a reader
    /// who will never see it. The email is the named lead's, from the policy.
    /// </summary>
    public async Task<(string? Who, string? Email)> WhoDecidesAsync(SchoolFilter school, CancellationToken cancellationToken)
    {
        string[] leads = [Portal.PortalRoles.ComputingLead, Portal.PortalRoles.ItProvider, Portal.PortalRoles.ItSupport];
        var held = await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.SchoolId == school.SchoolId && Portal.PortalRoles.FilterRequestDeciders.Contains(m.Role))
            .Select(m => m.Role).Distinct().ToListAsync(cancellationToken);
        var roles = school.Policy.Roles;
        if (held.Any(r => leads.Contains(r)) && (roles.ComputingLead ?? roles.ItProvider) is { } lead)
        {
            return (lead.Title is { } title ? $"{lead.Name} ({title})" : lead.Name, lead.Email);
        }

        if (held.Count > 0)
        {
            return (held.Contains(Portal.PortalRoles.Head) ? "The headteacher" : "The school's Brightline administrator", null);
        }

        return (null, null);
    }

    /// <summary>Works out who is asking: the signed-in person, else a DNS binding for the address, else the address's network, else the fallback.</summary>
    public async Task<FilterClient?> ClientAsync(IPAddress address, string? signedInSchool, Guid? signedInPerson, CancellationToken cancellationToken)
    {
        if (filters.Schools.Count == 0)
        {
            await filters.RefreshAsync(cancellationToken);
        }

        var text = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        (string School, Guid Person)? who = signedInSchool is not null && signedInPerson is { } p ? (signedInSchool, p)
            : bindings.Find(address) is { } b ? (b.SchoolId, b.PersonId) : null;
        if (who is { } w && filters.Find(w.School) is { } bound)
        {
            var person = await db.People.AsNoTracking().FirstOrDefaultAsync(x => x.SchoolId == w.School && x.Id == w.Person, cancellationToken);
            if (person is not null)
            {
                var groups = PersonGroups.For(bound.Policy, person);
                var decision = await gate.EvaluateAsync(w.School, w.Person, cancellationToken);
                var internet = decision.Items.FirstOrDefault(i => i.Access == AccessKind.Internet);
                var refused = internet is { Allowed: false } ? (internet.Reasons.Count > 0 ? internet.Reasons[0] : null) ?? new AccessReason("refused", "The school has withdrawn your internet access.", null, null) : null;
                var profiles = bound.ProfilesFor(groups.Select(g => g.Id));
                var exemptions = await filterExemptions.ForPersonAsync(bound.Policy, w.School, w.Person, time.GetUtcNow(), cancellationToken);
                return new FilterClient(bound, w.Person, profiles, groups.FirstOrDefault(g => profiles.Contains(g.Id, StringComparer.Ordinal))?.Id,
                    AudienceOf(groups, PersonGroups.Has(person, PersonKind.Pupil) ? person.YearGroup : null), refused, text) { Exemptions = exemptions };
            }
        }

        foreach (var school in filters.Schools)
        {
            if (school.GroupFor(address) is { } group)
            {
                return new FilterClient(school, null, school.ProfilesFor([group]), group, AudienceOf(school.Policy.FindGroup(group) is { } g ? [g] : []), null, text);
            }
        }

        if (filters.Schools.Count == 1 && filters.Schools.First() is { } only)
        {
            var profiles = only.ProfilesFor([]);
            return new FilterClient(only, null, profiles, profiles[0], AudienceOf(only.Policy.FindGroup(profiles[0]) is { } g ? [g] : []), null, text);
        }

        return null;
    }

    /// <summary>
    /// The youngest audience among the groups (a KS1 pupil who is somehow also staff is still spoken to as a child), and
    /// the pupil's own year: a group may span key stages (Wetherby's "Pupils (Years 1–6)"), and a Year 1 or 2 child is in
    /// Key Stage 1 whatever the group's phase, so gets the young children's page (issue 15 part 9: W2's "age-appropriate level").
    /// </summary>
    public static BlockAudience AudienceOf(IEnumerable<Group> groups, string? pupilYear = null)
    {
        var audience = YoungYears.Contains(pupilYear?.Trim() ?? "", StringComparer.OrdinalIgnoreCase) ? BlockAudience.Young : BlockAudience.Adult;
        foreach (var g in groups)
        {
            var a = g.Kind != PersonKind.Pupil ? BlockAudience.Adult : g.Phase switch
            {
                Phase.Nursery or Phase.Eyfs or Phase.Ks1 => BlockAudience.Young,
                Phase.None or Phase.Ks2 or Phase.Ks3 or Phase.Ks4 or Phase.Sixth => BlockAudience.Junior,
                _ => BlockAudience.Junior,
            };
            audience = a < audience ? a : audience;
        }

        return audience;
    }

    /// <summary>Nursery, Reception (EYFS) and Years 1–2 (Key Stage 1): the years spoken to as young children.</summary>
    private static readonly string[] YoungYears = ["N", "R", "1", "2"];

    /// <summary>The engine's decision for <paramref name="host"/> with the given profiles (and the person's exemptions, O3/W4), now.</summary>
    public BlockExplanation Explain(SchoolFilter school, string[] profiles, string host, DateTimeOffset? at = null, IReadOnlyList<FilterExemption>? exemptions = null)
    {
        var when = at ?? time.GetUtcNow();
        var d = host.Contains("://", StringComparison.Ordinal)
            ? school.Engine.Explain(FilterRequest.ForUrl(profiles, host, when, exemptions))
            : school.Engine.Explain(new FilterRequest(profiles, host, when) { Exemptions = exemptions });
        var illegal = d.Category is { } c && Categories.IsIllegal(c) || d.Reason == DecisionReason.IllegalCategory;
        return new BlockExplanation(
            host,
            d.Outcome == DecisionOutcome.Block,
            d.Category is { } cat ? Categories.NameOf(cat) : null,
            d.Category is { } cat2 ? Categories.Get(cat2).DisplayName : null,
            illegal,
            d.Rule?.RuleId ?? d.Profile?.Definition.RuleId,
            d.ProfileName,
            d.Summary,
            d.Trace.Select(t => t.ToString()).ToList()) { Exemption = d.Exemption };
    }

    /// <summary>Normalises what someone typed (a URL or a host) to a lower-case host name, or null when it is not one.</summary>
    public static string? NormaliseHost(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            text = uri.Host;
        }

        text = text.Split('/', 2)[0].Split(':', 2)[0].TrimEnd('.').ToLowerInvariant();
        return text.Length is > 0 and <= 253 && Uri.CheckHostName(text) == UriHostNameType.Dns ? text : null;
    }

    /// <summary>Stores a request and tells the computing lead (and, for a miss, the IT provider) by email: a link, nothing else.</summary>
    public async Task<RequestEntity> CreateAsync(FilterClient client, FilterRequestKind kind, string host, string reason, string? category, string actor, CancellationToken cancellationToken)
    {
        var explanation = Explain(client.School, client.Profiles, host, exemptions: client.Exemptions);
        if (kind == FilterRequestKind.Unblock && client.School.IsIllegal(host))
        {
            throw new InvalidException($"{host} is on an illegal-content list (child abuse or terrorism). Nobody at the school can unblock it, so no request was made.");
        }

        var request = new RequestEntity
        {
            SchoolId = client.School.SchoolId,
            Kind = kind,
            Status = FilterRequestState.Pending,
            Host = host,
            Reason = Cut(reason.Trim(), 1000),
            PersonId = client.PersonId,
            ClientAddress = client.PersonId is null ? client.Address : null,
            Profile = explanation.Profile ?? client.GroupId,
            Category = kind == FilterRequestKind.Miss ? Categories.TryParse(category, out var c) ? Categories.NameOf(c) : null : explanation.Category,
            RuleId = explanation.RuleId,
            CreatedAt = time.GetUtcNow(),
        };
        db.Set<RequestEntity>().Add(request);
        await db.SaveChangesAsync(cancellationToken);
        var roles = client.School.Policy.Roles;
        var to = new List<string>();
        if (roles.ComputingLead?.Email is { } lead) { to.Add(lead); }
        if (kind == FilterRequestKind.Miss && roles.ItProvider?.Email is { } it) { to.Add(it); }
        var link = $"{BaseUrl()}/filtering/requests/{request.Id}";
        foreach (var address in to.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            // No site, no name, no reason in the email: only a link to sign in and read it.
            email.Enqueue(request.SchoolId, address, "A web filtering request is waiting for you",
                $"A new web filtering request is waiting for a decision.\n\nSign in to read and decide it:\n{link}\n", "filter-request", null);
        }

        // The audit entry's save commits the queued emails with it.
        await audit.AppendAsync(request.SchoolId, actor, AuditRequest, $"filter-request/{request.Id}",
            $"{kind} {host} ({request.Profile}): {request.Reason}", client.Address, cancellationToken);

        if (kind == FilterRequestKind.Miss)
        {
            // O20, issue 5: a site the filter missed is also a record in the filter-report register, linked to this request.
            // The computing lead and IT provider were emailed above, so the register does not email them again.
            await incidents.CreateAsync(new Incidents.NewIncident(
                request.SchoolId, Incidents.IncidentKinds.FilterReport, $"Filter miss reported: {host}", [], [],
                request.Reason.Length > 0 ? request.Reason : "Reported without a reason.", actor, FilterRequestId: request.Id, Notify: false), cancellationToken);
        }

        LogRequested(logger, request.SchoolId, request.Id);
        return request;
    }

    /// <summary>
    /// Approves: a local allow (unblock) or deny (miss) for <paramref name="profile"/>, until <paramref name="expires"/>
    /// if given. Takes effect at once. Refuses to allow anything on an illegal-content list.
    /// </summary>
    public async Task ApproveAsync(string schoolId, long id, string profile, DateTimeOffset? expires, string? note, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var request = await PendingAsync(schoolId, id, cancellationToken);
        var school = await filters.GetAsync(schoolId, cancellationToken);
        if (school.Policy.Filtering.FindProfile(profile) is null)
        {
            throw new InvalidException($"'{profile}' is not a filtering profile of the policy.");
        }

        var now = time.GetUtcNow();
        if (expires is { } e && e <= now)
        {
            throw new InvalidException("The expiry must be in the future.");
        }

        var allow = request.Kind == FilterRequestKind.Unblock;
        if (allow && school.IsIllegal(request.Host))
        {
            throw new InvalidException($"{request.Host} is on an illegal-content list (child abuse or terrorism). It cannot be unblocked by anyone, including administrators.");
        }

        var why = string.IsNullOrWhiteSpace(note) ? request.Reason : Cut(note.Trim(), 1000);
        var entry = new FilterOverride
        {
            SchoolId = schoolId,
            Profile = profile,
            Entry = request.Host,
            Action = allow ? FilterOverrideAction.Allow : FilterOverrideAction.Deny,
            Category = allow ? null : request.Category,
            Reason = $"Request {request.Id}: {why}",
            CreatedAt = now,
            CreatedBy = actor,
            Expires = expires?.ToUniversalTime(),
            RequestId = request.Id,
        };
        db.Set<FilterOverride>().Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        request.Status = FilterRequestState.Approved;
        request.DecidedAt = now;
        request.DecidedBy = actor;
        request.DecisionNote = string.IsNullOrWhiteSpace(note) ? null : Cut(note.Trim(), 1000);
        request.TargetProfile = profile;
        request.Expires = entry.Expires;
        request.OverrideId = entry.Id;
        await db.SaveChangesAsync(cancellationToken);
        var until = entry.Expires is { } x ? $" until {Brightline.Kernel.UkFormat.ShortDateTime(x)}" : "";
        await audit.AppendAsync(schoolId, actor, AuditApprove, $"filter-request/{request.Id}",
            $"{entry.Action.Key()} {request.Host} for {profile}{until}: {why}", clientAddress, cancellationToken);
        await filters.RefreshNowAsync(cancellationToken);
    }

    public async Task DeclineAsync(string schoolId, long id, string reason, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InvalidException("Give a reason for declining; the person who asked will be told it.");
        }

        var request = await PendingAsync(schoolId, id, cancellationToken);
        request.Status = FilterRequestState.Declined;
        request.DecidedAt = time.GetUtcNow();
        request.DecidedBy = actor;
        request.DecisionNote = Cut(reason.Trim(), 1000);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, AuditDecline, $"filter-request/{request.Id}", $"{request.Kind.Key()} {request.Host}: {request.DecisionNote}", clientAddress, cancellationToken);
    }

    /// <summary>Withdraws an override before its expiry (kept, marked withdrawn, for the history).</summary>
    public async Task WithdrawAsync(string schoolId, long overrideId, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var entry = await db.Set<FilterOverride>().FirstOrDefaultAsync(o => o.SchoolId == schoolId && o.Id == overrideId && o.WithdrawnAt == null, cancellationToken)
            ?? throw new NotFoundException("That override does not exist or was already withdrawn.");
        entry.WithdrawnAt = time.GetUtcNow();
        entry.WithdrawnBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, AuditWithdraw, $"filter-override/{entry.Id}", $"{entry.Action.Key()} {entry.Entry} for {entry.Profile} withdrawn", clientAddress, cancellationToken);
        await filters.RefreshNowAsync(cancellationToken);
    }

    private async Task<RequestEntity> PendingAsync(string schoolId, long id, CancellationToken cancellationToken)
    {
        var request = await db.Set<RequestEntity>().FirstOrDefaultAsync(r => r.SchoolId == schoolId && r.Id == id, cancellationToken)
            ?? throw new NotFoundException("That request does not exist.");
        return request.Status == FilterRequestState.Pending ? request : throw new InvalidException($"That request was already {request.Status.Key()}.");
    }

    /// <summary>The portal's own address (configured, else the first listening address), for links in emails and from block pages.</summary>
    public string BaseUrl() => links.BaseUrl();

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Filter request {RequestId} created at school {SchoolId}")]
    private static partial void LogRequested(ILogger logger, string schoolId, long requestId);
}
