using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>
/// Incident actions (O11, Omnicom: "pupil devices may be searched and material deleted"): a device search and a
/// deletion are each their own kind of timeline entry, recorded by anyone who may add to the incident. Like every
/// entry they are never edited (a correction is a new note naming the entry) and each is audited with the entry in
/// one transaction. Kept apart from <see cref="IncidentService"/> so that service does not grow every register's forms.
/// </summary>
public sealed class IncidentActions(BrightlineDbContext db, AuditLog audit, TimeProvider time, IncidentService incidents)
{
    public const string AuditDeviceSearched = "incident-device-searched";
    public const string AuditMaterialDeleted = "incident-material-deleted";

    public const int MaxField = 300;
    public const int MaxFound = 4000;

    public async Task<IncidentEntry> RecordDeviceSearchAsync(string schoolId, Guid incidentId, DeviceSearch search, IncidentActor actor, CancellationToken cancellationToken)
    {
        var incident = await AllowedAsync(schoolId, incidentId, actor, cancellationToken);
        var device = Required(search.Device, "Say which device was searched (its description, asset tag or serial number).");
        var by = Required(search.SearchedBy, "Say who searched the device.");
        var authorised = Required(search.AuthorisedBy, "Say who authorised the search (O11: a search needs someone's authority).");
        var found = Required(search.Found, "Say what was found, or write that nothing was found.", MaxFound);
        if (search.At is not { } at)
        {
            throw new InvalidException("Enter when the device was searched, for example 25/11/2026 at 09:30.");
        }

        if (at > time.GetUtcNow())
        {
            throw new InvalidException("The time of the search cannot be in the future.");
        }

        // A device the school has registered is named as the register knows it, so the entry points at the right one.
        var key = device.ToUpperInvariant();
#pragma warning disable CA1862, CA1311, CA1304 // EF translates ToUpper() to SQL UPPER(); the StringComparison overloads do not translate.
        var registered = await db.Set<Device>().AsNoTracking()
            .Where(d => d.SchoolId == schoolId && ((d.AssetTag != null && d.AssetTag.ToUpper() == key) || (d.Serial != null && d.Serial.ToUpper() == key)))
            .Select(d => new { d.Name, d.Model, d.AssetTag, d.Serial }).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore CA1862, CA1311, CA1304
        var named = registered is null ? device
            : $"{registered.Name}, {registered.Model} (registered device{(registered.AssetTag is { } tag ? $", asset tag {tag}" : "")}{(registered.Serial is { } serial ? $", serial {serial}" : "")})";
        var text = $"Device searched: {Sentence(named)} Searched by {by} on {UkFormat.DateTime(at)}, authorised by {Sentence(authorised)} Found: {found}";
        return await AddAsync(incident, IncidentEntryKind.DeviceSearched, text, AuditDeviceSearched, actor, cancellationToken);
    }

    public async Task<IncidentEntry> RecordDeletionAsync(string schoolId, Guid incidentId, MaterialDeletion deletion, IncidentActor actor, CancellationToken cancellationToken)
    {
        var incident = await AllowedAsync(schoolId, incidentId, actor, cancellationToken);
        var what = Required(deletion.What, "Say what was deleted (the material and the device it was on).", MaxFound);
        var why = Required(deletion.Why, "Say why it was deleted.", MaxFound);
        var authorised = Required(deletion.AuthorisedBy, "Say who authorised the deletion (O11: deleting material needs someone's authority).");
        var text = $"Material deleted: {Sentence(what)} Why: {Sentence(why)} Authorised by {Sentence(authorised)}";
        return await AddAsync(incident, IncidentEntryKind.MaterialDeleted, text, AuditMaterialDeleted, actor, cancellationToken);
    }

    /// <summary>Whoever may add to the incident (its readers and its reporter) may record what was done.</summary>
    private async Task<Incident> AllowedAsync(string schoolId, Guid incidentId, IncidentActor actor, CancellationToken cancellationToken)
    {
        var (incident, _, access) = await incidents.AccessAsync(schoolId, incidentId, actor, cancellationToken);
        return access == IncidentAccess.None ? throw new ForbiddenException("You may not add to this incident.") : incident;
    }

    private async Task<IncidentEntry> AddAsync(Incident incident, IncidentEntryKind kind, string text, string action, IncidentActor actor, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var entry = new IncidentEntry { IncidentId = incident.Id, At = StoredTime.Now(time), Author = actor.UserName, Text = text, Kind = kind };
        db.Set<IncidentEntry>().Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(incident.SchoolId, actor.UserName, action, incident.Id.ToString(), $"entry {entry.Id}", actor.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return entry;
    }

    /// <summary>Ends the answer with a full stop unless the writer already ended it.</summary>
    private static string Sentence(string text) => text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";

    private static string Required(string? value, string message, int max = MaxField)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidException(message);
        }

        return value.Length > max ? throw new InvalidException($"Keep each answer to {max:N0} characters.") : value;
    }
}
