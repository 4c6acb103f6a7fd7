using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Safeguarding;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>
/// The incident registers (issue 5, section 1). Records are evidence: nothing is edited or deleted in place.
/// The timeline is append-only; a correction names the entry it corrects; status changes, outcomes, the ICO
/// decision, links and files are all entries too. Only <see cref="IncidentRetention"/> removes data, and it
/// audits what it removed. Every change and every view is audited in the same transaction.
/// </summary>
public sealed class IncidentService(
    BrightlineDbContext db, AuditLog audit, TimeProvider time, PolicyStore policies, IncidentNotifier notifier)
{
    public const string AuditCreate = "incident-created";
    public const string AuditEntry = "incident-entry";
    public const string AuditViewed = "incident-viewed";
    public const string AuditStatus = "incident-status";
    public const string AuditLinked = "incident-linked";
    public const string AuditIcoDecision = "incident-ico-decision";
    public const string AuditPersonAdded = "incident-person-added";

    public const int PageSize = 25;

    public async Task<IncidentSettings> SettingsAsync(string schoolId, CancellationToken cancellationToken) =>
        IncidentSettings.From(await policies.ActiveAsync(schoolId, cancellationToken));

    public async Task<Incident> CreateAsync(NewIncident request, CancellationToken cancellationToken)
    {
        var incident = await CreateCoreAsync(request, request.Notify, null, cancellationToken);
        return incident;
    }

    /// <summary>
    /// "Escalate" on a monitoring alert: opens a safeguarding incident with the alert linked and closes the
    /// alert as escalated, in one transaction. An alert already linked returns its incident instead of a second one.
    /// </summary>
    public async Task<Incident> EscalateAlertAsync(string schoolId, long alertId, string? note, IncidentActor actor, CancellationToken cancellationToken)
    {
        var alert = await db.Set<MonitoringAlert>().FirstOrDefaultAsync(a => a.Id == alertId && a.SchoolId == schoolId, cancellationToken)
            ?? throw new NotFoundException("There is no such alert.");
        var target = alertId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var existing = await db.Set<IncidentLink>().AsNoTracking()
            .Where(l => l.SchoolId == schoolId && l.Kind == IncidentLinkKind.Alert && l.TargetId == target)
            .Join(db.Set<Incident>(), l => l.IncidentId, i => i.Id, (l, i) => i).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        if (alert.Outcome is not null)
        {
            throw new InvalidException("This alert already has an outcome. Record an incident and link the alert to it instead.");
        }

        note = note?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            throw new InvalidException("Say what was done to escalate the concern.");
        }

        var request = new NewIncident(
            schoolId, IncidentKinds.Safeguarding, $"Monitoring alert {alert.Id}: {alert.Category} ({alert.Severity})",
            alert.PersonId is { } p ? [p] : [], [], note, actor.UserName,
            Serious: string.Equals(alert.Severity, "critical", StringComparison.Ordinal), AlertId: alert.Id);
        var incident = await CreateCoreAsync(request, notify: true, async created =>
        {
            // The alert is closed as escalated in the same transaction, so neither exists without the other.
            var now = Now();
            alert.Outcome = AlertOutcome.Escalated;
            alert.OutcomeNote = Clip($"Incident recorded: /incidents/{created.Id}. {note}", 4000);
            alert.OutcomeBy = actor.UserName;
            alert.OutcomeAt = now;
            alert.Status = MonitoringAlertStatus.Closed;
            alert.EscalateAt = null;
            db.Set<MonitoringAlertEntry>().Add(new MonitoringAlertEntry
            {
                SchoolId = schoolId, AlertId = alert.Id, At = now, Kind = AlertEntryKind.Outcome, Actor = actor.UserName,
                Note = Clip($"{AlertOutcome.Escalated.Describe()}: incident {created.Id}. {note}", 4000),
            });
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(schoolId, actor.UserName, MonitoringAuditActions.AlertOutcome, $"monitoring-alert:{alert.Id}", AlertOutcome.Escalated.Key(), actor.ClientAddress, cancellationToken);
        }, cancellationToken);
        return incident;
    }

    private async Task<Incident> CreateCoreAsync(
        NewIncident request, bool notify, Func<Incident, Task>? inTransaction, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(request.SchoolId, cancellationToken);
        var kind = settings.Find(request.Kind) ?? throw new InvalidException("Choose the kind of incident.");
        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 300)
        {
            throw new InvalidException("Enter a short title (up to 300 characters).");
        }

        var text = request.FirstEntry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidException("Describe what happened.");
        }

        var now = Now();
        DateTimeOffset? discovered = null;
        if (string.Equals(kind.Key, IncidentKinds.DataBreach, StringComparison.Ordinal))
        {
            // O6, F4: the 72 hours run from when the school became aware, which may be before it is recorded.
            discovered = StoredTime.Truncate(request.DiscoveredAt ?? now);
            if (discovered > now)
            {
                throw new InvalidException("The time the breach was discovered cannot be in the future.");
            }
        }

        var device = request.DeviceDescription?.Trim();
        if (string.Equals(kind.Key, IncidentKinds.LostDevice, StringComparison.Ordinal) && string.IsNullOrEmpty(device))
        {
            throw new InvalidException("Describe the lost or stolen device (make, model, asset tag) so it can be found or wiped (F7).");
        }

        if (device is { Length: > 500 })
        {
            throw new InvalidException("Keep the device description to 500 characters.");
        }

        // F4: only a personal data breach says whether an email sent in error carried the data in an (encrypted) attachment.
        if (request.MisdirectedEmail is not null && !string.Equals(kind.Key, IncidentKinds.DataBreach, StringComparison.Ordinal))
        {
            throw new InvalidException("Only a personal data breach records an email sent in error and its attachment (F4).");
        }

        var people = request.People.Distinct().ToList();
        var known = await db.People.Where(p => p.SchoolId == request.SchoolId && people.Contains(p.Id)).CountAsync(cancellationToken);
        if (known != people.Count)
        {
            throw new InvalidException("One of the people involved is not at this school.");
        }

        var rules = request.RuleIds.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (string.Join(',', rules).Length > 500)
        {
            throw new InvalidException("Cite at most a few rules (up to 500 characters of rule IDs).");
        }

        // Issue 17 defect 6: a permanent record cites only rules the policy has ("not-a-rule" once reached the governors' report).
        var policy = await policies.ActiveAsync(request.SchoolId, cancellationToken);
        if (rules.FirstOrDefault(r => policy.FindRule(r) is null) is { } unknown)
        {
            throw new InvalidException($"\"{unknown}\" is not a rule in the school's policy; choose the rules breached from the list.", "Unknown rule") { Field = "RuleIds" };
        }

        // W11: persistent = this is at least the Nth incident about one person within the window.
        var since = now - TimeSpan.FromDays(settings.PersistentDays);
        var persistent = new List<Guid>();
        foreach (var person in people)
        {
            var earlier = await db.Set<IncidentPerson>().Where(p => p.PersonId == person)
                .Join(db.Set<Incident>().Where(i => i.SchoolId == request.SchoolId && i.CreatedAt >= since), p => p.IncidentId, i => i.Id, (p, i) => i.Id)
                .CountAsync(cancellationToken);
            if (earlier + 1 >= settings.PersistentCount)
            {
                persistent.Add(person);
            }
        }

        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            SchoolId = request.SchoolId,
            Kind = kind.Key,
            Title = title,
            RuleIds = rules,
            Status = IncidentStatus.Open,
            CreatedAt = now,
            CreatedBy = request.Actor,
            Serious = request.Serious || persistent.Count > 0,
            DiscoveredAt = discovered,
            DecisionDueAt = discovered + settings.BreachDeadline,
            DeviceDescription = string.IsNullOrEmpty(device) ? null : device,
            MisdirectedEmail = request.MisdirectedEmail,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<Incident>().Add(incident);
        await db.SaveChangesAsync(cancellationToken);
        db.Set<IncidentPerson>().AddRange(people.Select(p => new IncidentPerson { IncidentId = incident.Id, PersonId = p }));
        db.Set<IncidentEntry>().Add(new IncidentEntry
        {
            IncidentId = incident.Id, At = now, Author = request.Actor, Text = Clip(text), Kind = IncidentEntryKind.Report,
        });
        if (incident.Serious)
        {
            var why = persistent.Count > 0
                ? $"Persistent: {persistent.Count} of the people involved have {settings.PersistentCount} or more incidents within {settings.PersistentDays} days (W11)."
                : "Recorded as serious by the reporter (W11).";
            db.Set<IncidentEntry>().Add(new IncidentEntry
            {
                IncidentId = incident.Id, At = now, Author = "brightline", Text = why, Kind = IncidentEntryKind.Serious, Restricted = true,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        if (request.AlertId is { } alertId)
        {
            await AddLinkCoreAsync(incident, IncidentLinkKind.Alert, alertId.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Actor, cancellationToken);
        }

        if (request.FilterRequestId is { } filterRequestId)
        {
            await AddLinkCoreAsync(incident, IncidentLinkKind.FilterRequest, filterRequestId.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Actor, cancellationToken);
        }

        if (inTransaction is not null)
        {
            await inTransaction(incident);
        }

        if (notify)
        {
            // The routing emails are queued (the outbox) in this transaction: the record and its notices commit together.
            var routed = request.AlsoNotify is { Count: > 0 } also ? kind with { Notify = [.. kind.Notify.Union(also, StringComparer.Ordinal)] } : kind;
            await notifier.NotifyCreatedAsync(incident, new IncidentNotice(routed, settings, people), cancellationToken);
        }

        await audit.AppendAsync(request.SchoolId, request.Actor, AuditCreate, incident.Id.ToString(), incident.Serious ? $"{incident.Kind}, serious" : incident.Kind, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return incident;
    }

    /// <summary>Adds a timeline entry. Parameters after the token are optional so existing callers (C11) keep compiling.</summary>
    public async Task<IncidentEntry> AddEntryAsync(
        string schoolId, Guid incidentId, string? text, long? correctsEntryId, string actor, CancellationToken cancellationToken,
        bool restricted = false, IncidentEntryKind kind = IncidentEntryKind.Note)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidException("Enter the text of the entry.");
        }

        var incident = await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(i => i.SchoolId == schoolId && i.Id == incidentId, cancellationToken)
            ?? throw new NotFoundException("There is no such incident.");
        if (correctsEntryId is { } corrects)
        {
            var original = await db.Set<IncidentEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.IncidentId == incident.Id && e.Id == corrects, cancellationToken)
                ?? throw new InvalidException("The entry to correct is not in this incident's timeline.");
            // A correction of a restricted note must not be readable by those who could not read the note.
            restricted |= original.Restricted;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var entry = new IncidentEntry
        {
            IncidentId = incident.Id, At = Now(), Author = actor, Text = Clip(text), CorrectsEntryId = correctsEntryId, Kind = kind, Restricted = restricted,
        };
        db.Set<IncidentEntry>().Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, AuditEntry, incident.Id.ToString(),
            correctsEntryId is { } c ? $"corrects entry {c}{(restricted ? ", restricted" : "")}" : restricted ? "restricted" : null, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return entry;
    }

    /// <summary>Adds an entry as a signed-in user: only readers may restrict an entry, and a reporter may correct only their own entries.</summary>
    public async Task<IncidentEntry> AddEntryAsAsync(string schoolId, Guid incidentId, string? text, long? correctsEntryId, bool restricted, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await AccessAsync(schoolId, incidentId, actor, cancellationToken);
        if (access == IncidentAccess.None)
        {
            throw new ForbiddenException("You may not add to this incident.");
        }

        if (access == IncidentAccess.Reporter)
        {
            restricted = false;
            if (correctsEntryId is { } c && !await db.Set<IncidentEntry>().AnyAsync(e => e.IncidentId == incident.Id && e.Id == c && e.Author == actor.UserName && !e.Restricted, cancellationToken))
            {
                throw new InvalidException("You can correct only your own entries.");
            }
        }

        return await AddEntryAsync(schoolId, incidentId, text, correctsEntryId, actor.UserName, cancellationToken, restricted);
    }

    /// <summary>Moves an incident on: a status entry, or closing with the outcome (required), or reopening.</summary>
    public async Task ChangeStatusAsync(string schoolId, Guid incidentId, string? status, string? text, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await AccessAsync(schoolId, incidentId, actor, cancellationToken);
        if (access != IncidentAccess.Reader)
        {
            throw new ForbiddenException("Only the people who read this register may change an incident's status.");
        }

        if (!IncidentStatuses.Words.TryParse(status, out var next))
        {
            throw new InvalidException("Choose a status.");
        }

        if (next == incident.Status)
        {
            throw new InvalidException($"The incident is already {next.Describe().ToLowerInvariant()}.");
        }

        text = text?.Trim();
        var closing = next == IncidentStatus.Closed;
        if (closing && string.IsNullOrEmpty(text))
        {
            throw new InvalidException("Write the outcome before closing the incident: what was found and what was done.");
        }

        if (closing && string.Equals(incident.Kind, IncidentKinds.DataBreach, StringComparison.Ordinal) && incident.DecisionAt is null)
        {
            throw new InvalidException("Record the decision on reporting to the ICO before closing a data breach (O6, F4).");
        }

        if (text is { Length: > 4000 })
        {
            throw new InvalidException("Keep the text to 4,000 characters.");
        }

        var tracked = await db.Set<Incident>().FirstAsync(i => i.Id == incident.Id, cancellationToken);
        var now = Now();
        var from = tracked.Status;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        tracked.Status = next;
        tracked.ClosedAt = closing ? now : null;
        tracked.Outcome = closing ? text : null;
        var line = closing
            ? $"Closed. Outcome: {text}"
            : $"Status changed from {from.Describe().ToLowerInvariant()} to {next.Describe().ToLowerInvariant()}.{(string.IsNullOrEmpty(text) ? "" : " " + text)}";
        db.Set<IncidentEntry>().Add(new IncidentEntry
        {
            IncidentId = incident.Id, At = now, Author = actor.UserName, Text = line, Kind = closing ? IncidentEntryKind.Outcome : IncidentEntryKind.Status,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor.UserName, AuditStatus, incident.Id.ToString(), $"{from.Key()} → {next.Key()}", actor.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Records the decision on reporting a personal data breach to the ICO (O6, F4); this stops the chase.</summary>
    public async Task RecordIcoDecisionAsync(string schoolId, Guid incidentId, bool report, string? reason, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await AccessAsync(schoolId, incidentId, actor, cancellationToken);
        if (access != IncidentAccess.Reader)
        {
            throw new ForbiddenException("Only the people who read this register may record the decision.");
        }

        if (!string.Equals(incident.Kind, IncidentKinds.DataBreach, StringComparison.Ordinal))
        {
            throw new InvalidException("Only a personal data breach needs a decision on reporting to the ICO.");
        }

        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 4000)
        {
            throw new InvalidException("Give the reasons for the decision (up to 4,000 characters): the ICO expects them to be recorded either way.");
        }

        var tracked = await db.Set<Incident>().FirstAsync(i => i.Id == incident.Id, cancellationToken);
        var now = Now();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        tracked.DecisionAt ??= now;
        var late = incident.DecisionDueAt is { } due && now > due ? " (after the 72-hour deadline)" : "";
        db.Set<IncidentEntry>().Add(new IncidentEntry
        {
            IncidentId = incident.Id, At = now, Author = actor.UserName, Kind = IncidentEntryKind.IcoDecision,
            Text = Clip($"{(report ? "To be reported to the ICO" : "Not reportable to the ICO")}{late}. Reasons: {reason}"),
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor.UserName, AuditIcoDecision, incident.Id.ToString(), report ? "report" : "do not report", actor.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Adds a person to those involved (readers only), found by admission number / staff code or full name. Nothing
    /// is removed: someone named by mistake stays listed, and a correction entry says so.
    /// </summary>
    public async Task<Person> AddPersonAsync(string schoolId, Guid incidentId, string? who, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await AccessAsync(schoolId, incidentId, actor, cancellationToken);
        if (access != IncidentAccess.Reader)
        {
            throw new ForbiddenException("Only the people who read this register may add people to a record.");
        }

        var person = await PersonLookup.FindOneAsync(db, schoolId, who, cancellationToken);
        if (await db.Set<IncidentPerson>().AnyAsync(p => p.IncidentId == incident.Id && p.PersonId == person.Id, cancellationToken))
        {
            throw new InvalidException($"{person.FullName} is already one of the people involved.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<IncidentPerson>().Add(new IncidentPerson { IncidentId = incident.Id, PersonId = person.Id });
        db.Set<IncidentEntry>().Add(new IncidentEntry
        {
            IncidentId = incident.Id, At = Now(), Author = actor.UserName, Kind = IncidentEntryKind.Person,
            Text = $"Added {person.FullName} ({person.ExternalId}) to the people involved.",
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor.UserName, AuditPersonAdded, incident.Id.ToString(), person.Id.ToString(), actor.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return person;
    }

    /// <summary>Links a monitoring alert, a DNS filter decision or a filter request of this school to the incident.</summary>
    public async Task LinkAsync(string schoolId, Guid incidentId, string? kind, string? target, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await AccessAsync(schoolId, incidentId, actor, cancellationToken);
        if (access != IncidentAccess.Reader)
        {
            throw new ForbiddenException("Only the people who read this register may link evidence.");
        }

        if (!IncidentLinkKinds.Words.TryParse(kind, out var linkKind))
        {
            throw new InvalidException("Choose what to link: a monitoring alert, a filter log entry or a filter request.");
        }

        if (!long.TryParse(target?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            throw new InvalidException("Enter the number of the alert, log entry or request.");
        }

        var targetId = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (await db.Set<IncidentLink>().AnyAsync(l => l.IncidentId == incident.Id && l.Kind == linkKind && l.TargetId == targetId, cancellationToken))
        {
            throw new InvalidException("That is already linked to this incident.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await AddLinkCoreAsync(incident, linkKind, targetId, actor.UserName, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    private async Task AddLinkCoreAsync(Incident incident, IncidentLinkKind kind, string targetId, string actor, CancellationToken cancellationToken)
    {
        var id = long.Parse(targetId, System.Globalization.CultureInfo.InvariantCulture);
        var school = incident.SchoolId;
        var exists = kind switch
        {
            IncidentLinkKind.Alert => await db.Set<MonitoringAlert>().AnyAsync(a => a.Id == id && a.SchoolId == school, cancellationToken),
            IncidentLinkKind.Dns => await db.DnsDecisions.AnyAsync(d => d.Id == id && d.SchoolId == school, cancellationToken),
            IncidentLinkKind.FilterRequest => await db.Set<FilterRequest>().AnyAsync(r => r.Id == id && r.SchoolId == school, cancellationToken),
            _ => false,
        };
        if (!exists)
        {
            throw new InvalidException($"There is no {kind.Describe().ToLowerInvariant()} number {id} at this school.");
        }

        var now = Now();
        db.Set<IncidentLink>().Add(new IncidentLink { SchoolId = school, IncidentId = incident.Id, Kind = kind, TargetId = targetId, At = now, LinkedBy = actor });
        db.Set<IncidentEntry>().Add(new IncidentEntry
        {
            IncidentId = incident.Id, At = now, Author = actor, Kind = IncidentEntryKind.Link, Restricted = true,
            Text = $"Linked {kind.Describe().ToLowerInvariant()} {targetId}.",
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(school, actor, AuditLinked, incident.Id.ToString(), $"{kind.Key()}:{targetId}", null, cancellationToken);
    }

    /// <summary>The incident as this user may see it (null when it does not exist); the view is audited.</summary>
    public async Task<IncidentView?> ViewAsync(string schoolId, Guid id, IncidentActor actor, CancellationToken cancellationToken)
    {
        var view = await FindAsync(schoolId, id, cancellationToken);
        if (view is null)
        {
            return null;
        }

        var settings = await SettingsAsync(schoolId, cancellationToken);
        var access = await AccessForAsync(view.Incident, settings, actor, cancellationToken);
        if (access == IncidentAccess.None)
        {
            return view with { Access = access, Entries = [], Links = [], Attachments = [] };
        }

        await audit.AppendAsync(schoolId, actor.UserName, AuditViewed, id.ToString(), access == IncidentAccess.Reader ? "full record" : "own report", actor.ClientAddress, cancellationToken);
        if (access == IncidentAccess.Reader)
        {
            return view with { Access = access };
        }

        // A reporter who is not a reader sees what they wrote and the status, not the DSL's notes or others' entries.
        return view with
        {
            Access = access,
            Entries = view.Entries.Where(e => !e.Restricted && string.Equals(e.Author, actor.UserName, StringComparison.Ordinal)).ToList(),
            Links = [],
            Attachments = view.Attachments.Where(a => !a.Restricted && string.Equals(a.AddedBy, actor.UserName, StringComparison.Ordinal)).ToList(),
        };
    }

    /// <summary>The whole record, unfiltered (for callers that have already decided access, and for tests).</summary>
    public async Task<IncidentView?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken)
    {
        var incident = await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(i => i.SchoolId == schoolId && i.Id == id, cancellationToken);
        if (incident is null)
        {
            return null;
        }

        var settings = await SettingsAsync(schoolId, cancellationToken);
        var personIds = await db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == id).Select(p => p.PersonId).ToListAsync(cancellationToken);
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ToListAsync(cancellationToken);
        var entries = await db.Set<IncidentEntry>().AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var links = await db.Set<IncidentLink>().AsNoTracking().Where(l => l.IncidentId == id).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        // The bytes stay in the database until someone downloads the file.
        var files = await db.Set<IncidentAttachment>().AsNoTracking().Where(a => a.IncidentId == id).OrderBy(a => a.Id)
            .Select(a => new IncidentAttachment
            {
                Id = a.Id, SchoolId = a.SchoolId, IncidentId = a.IncidentId, FileName = a.FileName, ContentType = a.ContentType, Size = a.Size,
                Sha256 = a.Sha256, Content = Array.Empty<byte>(), At = a.At, AddedBy = a.AddedBy, Restricted = a.Restricted,
            }).ToListAsync(cancellationToken);
        return new IncidentView(incident, people, entries, links, files, IncidentAccess.Reader, settings.Find(incident.Kind) ?? IncidentSettings.DefaultKinds[0]);
    }

    public async Task<(Incident Incident, IncidentSettings Settings, IncidentAccess Access)> AccessAsync(string schoolId, Guid id, IncidentActor actor, CancellationToken cancellationToken)
    {
        var incident = await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(i => i.SchoolId == schoolId && i.Id == id, cancellationToken)
            ?? throw new NotFoundException("There is no such incident.");
        var settings = await SettingsAsync(schoolId, cancellationToken);
        return (incident, settings, await AccessForAsync(incident, settings, actor, cancellationToken));
    }

    private async Task<IncidentAccess> AccessForAsync(Incident incident, IncidentSettings settings, IncidentActor actor, CancellationToken cancellationToken)
    {
        var kind = settings.Find(incident.Kind);
        if (kind is null)
        {
            return string.Equals(incident.CreatedBy, actor.UserName, StringComparison.Ordinal) ? IncidentAccess.Reporter : IncidentAccess.None;
        }

        if (kind.HideFromSubject && await IsExcludedAsync(incident, settings, actor, cancellationToken))
        {
            return IncidentAccess.None;
        }

        if (kind.MayReadAll(actor.Roles))
        {
            return IncidentAccess.Reader;
        }

        // H8: a Head of Year reads the register only for records about pupils of their own year.
        if (kind.MayReadOwnYear(actor.Roles) && await OwnYearAsync(actor, cancellationToken) is { } year)
        {
            var pupilBit = PersonGroups.Mask(Brightline.Policy.Model.PersonKind.Pupil);
            if (await db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == incident.Id)
                .Join(db.People, p => p.PersonId, person => person.Id, (p, person) => person)
                .AnyAsync(person => person.SchoolId == incident.SchoolId && person.YearGroup == year && (person.KindMask & pupilBit) != 0, cancellationToken))
            {
                return IncidentAccess.Reader;
            }
        }

        return string.Equals(incident.CreatedBy, actor.UserName, StringComparison.Ordinal) ? IncidentAccess.Reporter : IncidentAccess.None;
    }

    /// <summary>Allegations about staff: the subject never sees the record, nor anyone in a role the policy lists as reporting to a role the subject holds.</summary>
    private async Task<bool> IsExcludedAsync(Incident incident, IncidentSettings settings, IncidentActor actor, CancellationToken cancellationToken)
    {
        var subjects = await db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == incident.Id).Select(p => p.PersonId).ToListAsync(cancellationToken);
        if (actor.PersonId is { } self && subjects.Contains(self))
        {
            return true;
        }

        if (settings.LineReports.Count == 0 || subjects.Count == 0)
        {
            return false;
        }

        var subjectRoles = await IncidentNotifier.RolesOfAsync(db, incident.SchoolId, subjects, cancellationToken);
        return subjectRoles.Any(r => settings.LineReports.TryGetValue(r, out var reports) && actor.Roles.Any(a => reports.Contains(a, StringComparer.Ordinal)));
    }

    /// <summary>The kinds this user may record into (the New page's choices).</summary>
    public async Task<IReadOnlyList<IncidentKindSettings>> RecordableKindsAsync(string schoolId, IncidentActor actor, CancellationToken cancellationToken) =>
        (await SettingsAsync(schoolId, cancellationToken)).Kinds.Where(k => k.MayRecord(actor.Roles)).ToList();

    /// <summary>The year group a Head of Year looks after: their own person record's (null: none, so no year's records).</summary>
    private async Task<string?> OwnYearAsync(IncidentActor actor, CancellationToken cancellationToken) =>
        actor.PersonId is { } self
            ? await db.People.AsNoTracking().Where(p => p.Id == self).Select(p => p.YearGroup).FirstOrDefaultAsync(cancellationToken)
            : null;

    /// <summary>One page of the registers this user may read, plus the incidents they reported, newest first.</summary>
    public async Task<IncidentListPage> ListAsync(string schoolId, IncidentFilter filter, IncidentActor actor, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(schoolId, filter, actor, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page, 1, pages);
        var rows = await query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new IncidentListPage(await RowsAsync(rows, cancellationToken), total, page, pages);
    }

    /// <summary>Every incident of the filtered list this user may see (up to <paramref name="max"/>), newest first, for the CSV export.</summary>
    public async Task<IReadOnlyList<IncidentRow>> ExportAsync(string schoolId, IncidentFilter filter, IncidentActor actor, int max, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(schoolId, filter, actor, cancellationToken);
        var rows = await query.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).Take(max).ToListAsync(cancellationToken);
        return await RowsAsync(rows, cancellationToken);
    }

    /// <summary>How many incidents this user may see are not closed: the DSL's home (the alert queue) says so first (issue 17).</summary>
    public async Task<int> ActiveCountAsync(string schoolId, IncidentActor actor, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(schoolId, new IncidentFilter(null, "active", null, null, null, 1, null), actor, cancellationToken);
        return await query.CountAsync(cancellationToken);
    }

    /// <summary>
    /// The kind and the day each incident this user may see was recorded (every status), for the incidents-per-term
    /// chart: one query, the same scope as the list (<see cref="QueryAsync"/>), no names.
    /// </summary>
    public async Task<IReadOnlyList<(string Kind, DateTimeOffset CreatedAt)>> RecordedAsync(string schoolId, IncidentActor actor, DateOnly from, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(schoolId, new IncidentFilter(null, "all", null, from, null, 1, null), actor, cancellationToken);
        var rows = await query.Select(i => new { i.Kind, i.CreatedAt }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Kind, r.CreatedAt)).ToList();
    }

    private async Task<IReadOnlyList<IncidentRow>> RowsAsync(List<Incident> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var names = await db.Set<IncidentPerson>().AsNoTracking().Where(p => ids.Contains(p.IncidentId))
            .Join(db.People, p => p.PersonId, person => person.Id, (p, person) => new { p.IncidentId, person.GivenName, person.FamilyName })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new IncidentRow(r, names.Where(n => n.IncidentId == r.Id).Select(n => $"{n.GivenName} {n.FamilyName}").Order(StringComparer.Ordinal).ToList())).ToList();
    }

    private async Task<IQueryable<Incident>> QueryAsync(string schoolId, IncidentFilter filter, IncidentActor actor, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(schoolId, cancellationToken);
        var readable = settings.Kinds.Where(k => k.MayReadAll(actor.Roles)).Select(k => k.Key).ToList();
        var user = actor.UserName;
        // H8: the registers a Head of Year reads only for pupils of their own year (none when their year is not known).
        var ownYear = settings.Kinds.Where(k => k.MayReadOwnYear(actor.Roles)).Select(k => k.Key).ToList();
        var year = ownYear.Count > 0 ? await OwnYearAsync(actor, cancellationToken) : null;
        if (year is null)
        {
            ownYear.Clear();
        }

        var pupilBit = PersonGroups.Mask(Brightline.Policy.Model.PersonKind.Pupil);
        var yearPupils = db.People.Where(p => p.SchoolId == schoolId && p.YearGroup == year && (p.KindMask & pupilBit) != 0).Select(p => p.Id);
        var query = db.Set<Incident>().AsNoTracking().Where(i => i.SchoolId == schoolId && (readable.Contains(i.Kind) || i.CreatedBy == user
            || (ownYear.Contains(i.Kind) && db.Set<IncidentPerson>().Any(p => p.IncidentId == i.Id && yearPupils.Contains(p.PersonId)))));
        var hidden = settings.Kinds.Where(k => k.HideFromSubject).Select(k => k.Key).ToList();
        if (hidden.Count > 0)
        {
            var excluded = new List<Guid>();
            if (actor.PersonId is { } self)
            {
                excluded.Add(self);
            }

            // The people whose allegations this user may not see: holders of roles this user reports to.
            var over = settings.LineReports.Where(l => actor.Roles.Any(r => l.Value.Contains(r, StringComparer.Ordinal))).Select(l => l.Key).ToList();
            if (over.Count > 0)
            {
                excluded.AddRange(await IncidentNotifier.HoldersOfAsync(db, schoolId, over, cancellationToken));
            }

            if (excluded.Count > 0)
            {
                query = query.Where(i => !hidden.Contains(i.Kind)
                    || !db.Set<IncidentPerson>().Any(p => p.IncidentId == i.Id && excluded.Contains(p.PersonId)));
            }
        }

        if (filter.Kind is { Length: > 0 } kind)
        {
            query = query.Where(i => i.Kind == kind);
        }

        if (filter.Status is { Length: > 0 } status && !string.Equals(status, "all", StringComparison.Ordinal))
        {
            // A status the page does not offer matches nothing, as it did when the column was compared as text.
            query = string.Equals(status, "active", StringComparison.Ordinal) ? query.Where(i => i.Status != IncidentStatus.Closed)
                : IncidentStatuses.Words.TryParse(status, out var wanted) ? query.Where(i => i.Status == wanted)
                : query.Where(i => false);
        }

        if (filter.Person is { } person)
        {
            query = query.Where(i => db.Set<IncidentPerson>().Any(p => p.IncidentId == i.Id && p.PersonId == person));
        }

        if (!string.IsNullOrWhiteSpace(filter.PersonName))
        {
            var q = filter.PersonName.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            var named = db.People.Where(p => p.SchoolId == schoolId && (p.GivenName + " " + p.FamilyName).ToLower().Contains(q)).Select(p => p.Id);
#pragma warning restore CA1862, CA1311
            query = query.Where(i => db.Set<IncidentPerson>().Any(p => p.IncidentId == i.Id && named.Contains(p.PersonId)));
        }

        if (filter.From is { } from)
        {
            var start = Brightline.Kernel.SchoolClock.StartOf(from);
            query = query.Where(i => i.CreatedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = Brightline.Kernel.SchoolClock.StartOf(to.AddDays(1));
            query = query.Where(i => i.CreatedAt < end);
        }

        return query;
    }

    /// <summary>Open data breaches whose ICO decision is still to be made, soonest first, for the readers of that register.</summary>
    public async Task<IReadOnlyList<Incident>> DecisionsDueAsync(string schoolId, IncidentActor actor, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(schoolId, cancellationToken);
        if (settings.Find(IncidentKinds.DataBreach) is not { } kind || !kind.MayReadAll(actor.Roles))
        {
            return [];
        }

        return await db.Set<Incident>().AsNoTracking()
            .Where(i => i.SchoolId == schoolId && i.Kind == IncidentKinds.DataBreach && i.DecisionAt == null && i.DecisionDueAt != null && i.Status != IncidentStatus.Closed)
            .OrderBy(i => i.DecisionDueAt).Take(20).ToListAsync(cancellationToken);
    }

    private DateTimeOffset Now() => StoredTime.Now(time);

    private static string Clip(string text, int max = 10000) => text.Length > max ? text[..max] : text;
}
