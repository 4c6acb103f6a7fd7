using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Hosting;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

public static class IncidentKinds
{
    public static readonly IReadOnlyList<string> All =
        ["safeguarding", "behaviour", "staff_violation", "security", "data_breach", "lost_device", "filter_report"];

    public static string Describe(string kind) => kind switch
    {
        "safeguarding" => "Safeguarding concern",
        "behaviour" => "Behaviour",
        "staff_violation" => "Staff violation",
        "security" => "Security incident",
        "data_breach" => "Personal data breach",
        "lost_device" => "Lost or stolen device",
        "filter_report" => "Filter report",
        _ => kind,
    };

    /// <summary>Roles that read every incident; others read only the incidents they recorded.</summary>
    public static readonly IReadOnlyList<string> Readers = [PortalRoles.Head, PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Admin];
}

public sealed record NewIncident(string SchoolId, string? Kind, string? Title, IReadOnlyList<Guid> People, IReadOnlyList<string> RuleIds, string? FirstEntry, string Actor);

public sealed record IncidentView(Incident Incident, IReadOnlyList<Person> People, IReadOnlyList<IncidentEntry> Entries);

/// <summary>Records incidents and their append-only timeline; every change audited.</summary>
public sealed class IncidentService(BrightlineDbContext db, AuditLog audit, TimeProvider time)
{
    public const string AuditCreate = "incident-created";
    public const string AuditEntry = "incident-entry";

    public async Task<Incident> CreateAsync(NewIncident request, CancellationToken cancellationToken)
    {
        if (request.Kind is null || !IncidentKinds.All.Contains(request.Kind, StringComparer.Ordinal))
        {
            throw new DomainException("Choose the kind of incident.");
        }

        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 300)
        {
            throw new DomainException("Enter a short title (up to 300 characters).");
        }

        var text = request.FirstEntry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new DomainException("Describe what happened.");
        }

        var people = request.People.Distinct().ToList();
        var known = await db.People.Where(p => p.SchoolId == request.SchoolId && people.Contains(p.Id)).CountAsync(cancellationToken);
        if (known != people.Count)
        {
            throw new DomainException("One of the people involved is not at this school.");
        }

        var now = Truncate(time.GetUtcNow());
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            SchoolId = request.SchoolId,
            Kind = request.Kind,
            Title = title,
            RuleIds = request.RuleIds.Count == 0 ? null : string.Join(',', request.RuleIds.Select(r => r.Trim()).Where(r => r.Length > 0)),
            Status = "open",
            CreatedAt = now,
            CreatedBy = request.Actor,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<Incident>().Add(incident);
        await db.SaveChangesAsync(cancellationToken);
        db.Set<IncidentPerson>().AddRange(people.Select(p => new IncidentPerson { IncidentId = incident.Id, PersonId = p }));
        db.Set<IncidentEntry>().Add(new IncidentEntry { IncidentId = incident.Id, At = now, Author = request.Actor, Text = Clip(text) });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(request.SchoolId, request.Actor, AuditCreate, incident.Id.ToString(), incident.Kind, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return incident;
    }

    public async Task<IncidentEntry> AddEntryAsync(string schoolId, Guid incidentId, string? text, long? correctsEntryId, string actor, CancellationToken cancellationToken)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new DomainException("Enter the text of the entry.");
        }

        var incident = await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(i => i.SchoolId == schoolId && i.Id == incidentId, cancellationToken)
            ?? throw new NotFoundException("There is no such incident.");
        if (correctsEntryId is { } corrects && !await db.Set<IncidentEntry>().AnyAsync(e => e.IncidentId == incident.Id && e.Id == corrects, cancellationToken))
        {
            throw new DomainException("The entry to correct is not in this incident's timeline.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var entry = new IncidentEntry { IncidentId = incident.Id, At = Truncate(time.GetUtcNow()), Author = actor, Text = Clip(text), CorrectsEntryId = correctsEntryId };
        db.Set<IncidentEntry>().Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, AuditEntry, incident.Id.ToString(), correctsEntryId is { } c ? $"corrects entry {c}" : null, null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return entry;
    }

    public async Task<IncidentView?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken)
    {
        var incident = await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(i => i.SchoolId == schoolId && i.Id == id, cancellationToken);
        if (incident is null)
        {
            return null;
        }

        var personIds = await db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == id).Select(p => p.PersonId).ToListAsync(cancellationToken);
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ToListAsync(cancellationToken);
        var entries = await db.Set<IncidentEntry>().AsNoTracking().Where(e => e.IncidentId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return new IncidentView(incident, people, entries);
    }

    private static string Clip(string text) => text.Length > 10000 ? text[..10000] : text;

    private static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
