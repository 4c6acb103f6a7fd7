using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.People;

/// <summary>
/// Imports MIS-style CSV exports (pupils with their contacts, staff, other adults). The import is a
/// reconciliation, not an append: the same file twice changes nothing, changed fields update, and with a
/// full import people the file no longer lists become leavers — never deleted, since their signatures
/// and history are evidence. The whole import is one transaction; a dry run rolls it back.
/// </summary>
public sealed partial class PeopleImporter(
    BrightlineDbContext db, AuditLog audit, TimeProvider time, Brightline.AccessChanges.IAccessChanges accessChanges, PolicyStore policies,
    IEnumerable<IPeopleChanged> listeners, ILogger<PeopleImporter> logger)
{
    public const string PupilsSource = "pupils";
    public const string StaffSource = "staff";
    public const string AdultsSource = "adults";
    public const string ParentsSource = "parents";

    /// <summary>The kinds a staff or adults import owns: it sets these and leaves Pupil/Parent alone.</summary>
    private static readonly int s_adultKinds = PersonGroups.Mask(
        PersonKind.Staff, PersonKind.Governor, PersonKind.Volunteer, PersonKind.Contractor,
        PersonKind.Student, PersonKind.Supply, PersonKind.Visitor);

    public Task<ImportReport> ImportAsync(string schoolId, Stream csv, ImportKind kind, ImportOptions options, string actor, CancellationToken cancellationToken) =>
        ImportAsync(schoolId, csv, kind, options, actor, progress: null, cancellationToken);

    /// <param name="progress">Receives the number of rows read so far, every few hundred rows (for the CLI).</param>
    public Task<ImportReport> ImportAsync(
        string schoolId, Stream csv, ImportKind kind, ImportOptions options, string actor, IProgress<int>? progress, CancellationToken cancellationToken) =>
        ImportAsync(schoolId, csv, kind, options, actor, progress, claim: null, cancellationToken);

    /// <param name="claim">
    /// Runs first inside the import's transaction and throws to refuse the import. Applying a staged file claims
    /// its row here, so the claim and the changes commit or roll back together and two "Apply"s of one file, in
    /// one process or two, import it once.
    /// </param>
    internal async Task<ImportReport> ImportAsync(
        string schoolId, Stream csv, ImportKind kind, ImportOptions options, string actor, IProgress<int>? progress,
        Func<CancellationToken, Task>? claim, CancellationToken cancellationToken)
    {
        if (!await db.Schools.AnyAsync(s => s.Id == schoolId, cancellationToken))
        {
            throw new NotFoundException($"There is no school '{schoolId}'. Load its policy first.");
        }

        // The policy's attributes: the extra columns the school mapped (issue 15 part 4).
        var attributes = (await policies.ActiveAsync(schoolId, cancellationToken)).Attributes;
        var parsed = await ImportCsv.ReadAsync(csv, kind, attributes, progress, cancellationToken);
        var today = SchoolClock.Today(time);
        var now = new DateTimeOffset(time.GetUtcNow().UtcDateTime, TimeSpan.Zero);
        var source = kind switch
        {
            ImportKind.Pupils => PupilsSource,
            ImportKind.Staff => StaffSource,
            ImportKind.Adults => AdultsSource,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown import kind."),
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (claim is not null)
        {
            // The claim is the transaction's first statement, a write, so SQLite takes its write lock before any read.
            await claim(cancellationToken);
        }

        var state = new ImportState(db, schoolId, today, now);
        await state.LoadAsync(cancellationToken);

        var changes = new List<ImportChange>();
        var errors = new List<ImportRowError>(parsed.Errors);
        int created = 0, updated = 0, unchanged = 0, leavers = 0;
        var seen = new HashSet<Guid>();

        foreach (var row in parsed.Rows)
        {
            var person = state.Find(source, row.ExternalId);
            if (person is null && kind != ImportKind.Pupils && row.Email is not null)
            {
                // A parent (or other adult) the school already knows by email becomes staff too: one person, two kinds.
                person = state.ByEmail(row.Email);
                if (person is not null && (seen.Contains(person.Id) || PersonGroups.Has(person, PersonKind.Pupil)
                    || string.Equals(person.Source, source, StringComparison.Ordinal)))
                {
                    person = null;
                }
            }

            if (person is null)
            {
                person = state.Add(new Person
                {
                    Id = Guid.NewGuid(),
                    SchoolId = schoolId,
                    ExternalId = row.ExternalId,
                    Source = source,
                    GivenName = row.GivenName,
                    FamilyName = row.FamilyName,
                    KindMask = row.KindMask,
                    YearGroup = row.YearGroup,
                    ClassName = row.ClassName,
                    Email = row.Email,
                    JobTitle = row.JobTitle,
                    Attributes = row.Attributes is null ? null : PersonAttributeValues.Write(
                        row.Attributes.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal)),
                    JoinedOn = row.StartDate ?? today,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
                created++;
                changes.Add(new ImportChange(row.Row, "created", row.ExternalId, person.FullName, Describe(person)));
            }
            else
            {
                var diff = Apply(person, row, source, kind, today);
                if (diff.Count > 0)
                {
                    person.UpdatedAt = now;
                    updated++;
                    changes.Add(new ImportChange(row.Row, "updated", row.ExternalId, person.FullName, string.Join("; ", diff)));
                }
                else
                {
                    unchanged++;
                }
            }

            seen.Add(person.Id);
            if (row.Roles is not null)
            {
                var roleChanges = state.SetRoles(person, row.Roles);
                if (roleChanges is not null)
                {
                    changes.Add(new ImportChange(row.Row, "roles", row.ExternalId, person.FullName, roleChanges));
                }
            }

            foreach (var contact in row.Contacts)
            {
                var (parent, isNew, linked, bitAdded) = state.LinkParent(person, contact, row.ExternalId);
                if (isNew)
                {
                    changes.Add(new ImportChange(row.Row, "parent created", parent.ExternalId, parent.FullName, $"parent of {person.FullName}"));
                }
                else if (bitAdded)
                {
                    changes.Add(new ImportChange(row.Row, "parent added", parent.ExternalId, parent.FullName, $"now also a parent of {person.FullName}"));
                }

                if (linked && !isNew)
                {
                    changes.Add(new ImportChange(row.Row, "linked", parent.ExternalId, parent.FullName, $"linked to {person.FullName}"));
                }
            }
        }

        var leaverIds = new List<Guid>();
        if (options.FullImport)
        {
            foreach (var person in state.People.Where(p => string.Equals(p.Source, source, StringComparison.Ordinal) && p.LeftOn is null && !seen.Contains(p.Id)))
            {
                person.LeftOn = today;
                person.UpdatedAt = now;
                leavers++;
                leaverIds.Add(person.Id);
                changes.Add(new ImportChange(0, "left", person.ExternalId, person.FullName, $"not in the file: left on {SchoolClock.Uk(today)}"));
            }

            if (kind == ImportKind.Pupils)
            {
                // A parent whose children have all left has left too (unless they are also staff or an adult the school lists).
                foreach (var parent in state.ParentsWithoutCurrentChildren())
                {
                    parent.LeftOn = today;
                    parent.UpdatedAt = now;
                    leavers++;
                    leaverIds.Add(parent.Id);
                    changes.Add(new ImportChange(0, "left", parent.ExternalId, parent.FullName, "parent: no child remains at the school"));
                }
            }
        }

        if (!options.DryRun && options.ConfirmedLeavers is { } confirmed && confirmed != leavers)
        {
            // Nothing is saved: the transaction (and a staged file's claim) rolls back when it is disposed.
            throw new ConflictException(
                $"This import would mark {UkFormat.Plural(leavers, "person", "people")} as leavers, but {confirmed} {(confirmed == 1 ? "was" : "were")} confirmed. "
                + "Nothing was changed. Check the file again and confirm the number it shows.",
                "Check the file again");
        }

        await db.SaveChangesAsync(cancellationToken);
        var report = new ImportReport(options.DryRun, parsed.RowsRead, created, updated, unchanged, leavers,
            state.ParentsCreated, state.LinksCreated, errors.OrderBy(e => e.Row).ToList(), changes);

        if (options.DryRun)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        else
        {
            await EndLeaversSessionsAsync(schoolId, leaverIds, cancellationToken);
            await PublishLeaversAsync(schoolId, leaverIds, cancellationToken);
            await audit.AppendAsync(schoolId, actor, AuditActions.Import, subject: $"{source} import",
                detail: $"{(options.FullImport ? "full" : "partial")}: {parsed.RowsRead} rows, {created} created, {updated} updated, {unchanged} unchanged, "
                    + $"{leavers} leavers, {state.ParentsCreated} parents created, {state.LinksCreated} links, {errors.Count} bad rows",
                cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var listener in listeners)
            {
                await listener.ChangedAsync(schoolId, cancellationToken);
            }
        }

        LogImported(logger, source, options.DryRun, parsed.RowsRead, created, updated, unchanged, leavers, errors.Count);
        return report;
    }

    /// <summary>
    /// A leaver's portal accounts (linked to them at this school) lose every open session, in the import's own
    /// transaction: the security stamp changes, which the portal checks on every request (issue 10, item 6).
    /// </summary>
    private async Task EndLeaversSessionsAsync(string schoolId, List<Guid> leaverIds, CancellationToken cancellationToken)
    {
        if (leaverIds.Count == 0)
        {
            return;
        }

        var accounts = db.SchoolMemberships.Where(m => m.SchoolId == schoolId && m.PersonId != null && leaverIds.Contains(m.PersonId.Value)).Select(m => m.UserId);
        await Portal.AccountSessions.EndAsync(db, accounts, cancellationToken);
    }

    /// <summary>Above this many leavers in one import, one school-wide change is published instead of one per person.</summary>
    private const int MaxLeaverChanges = 200;

    /// <summary>
    /// Leavers' access has changed (the gate refuses someone who has left): published in the import's transaction,
    /// so enforcement points drop what they cached for them once it commits. A year-end import with hundreds of
    /// leavers publishes one school-wide change rather than hundreds of rows.
    /// </summary>
    private async Task PublishLeaversAsync(string schoolId, List<Guid> leaverIds, CancellationToken cancellationToken)
    {
        if (leaverIds.Count == 0)
        {
            return;
        }

        if (leaverIds.Count > MaxLeaverChanges)
        {
            accessChanges.Publish(db, schoolId, null, Brightline.AccessChanges.AccessChangeReasons.Leaver);
        }
        else
        {
            foreach (var id in leaverIds)
            {
                accessChanges.Publish(db, schoolId, id, Brightline.AccessChanges.AccessChangeReasons.Leaver);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static List<string> Apply(Person person, ImportRow row, string source, ImportKind kind, DateOnly today)
    {
        var diff = new List<string>();
        void Set<T>(string name, T current, T next, Action<T> assign)
        {
            if (!EqualityComparer<T>.Default.Equals(current, next))
            {
                diff.Add($"{name}: {Show(current)} → {Show(next)}");
                assign(next);
            }
        }

        Set("forename", person.GivenName, row.GivenName, v => person.GivenName = v);
        Set("surname", person.FamilyName, row.FamilyName, v => person.FamilyName = v);
        if (row.Email is not null || kind != ImportKind.Pupils)
        {
            Set("email", person.Email, row.Email, v => person.Email = v);
        }

        if (kind == ImportKind.Pupils || (kind == ImportKind.Staff && row.HasYearColumn))
        {
            Set("year group", person.YearGroup, row.YearGroup, v => person.YearGroup = v);
        }

        if (row.HasClassColumn)
        {
            Set("class", person.ClassName, row.ClassName, v => person.ClassName = v);
        }

        if (kind != ImportKind.Pupils && row.HasJobTitleColumn)
        {
            Set("job title", person.JobTitle, row.JobTitle, v => person.JobTitle = v);
        }

        if (row.Attributes is { Count: > 0 } imported)
        {
            var stored = PersonAttributeValues.Read(person);
            var merged = new Dictionary<string, string>(stored, StringComparer.Ordinal);
            foreach (var (key, value) in imported)
            {
                stored.TryGetValue(key, out var before);
                if (!string.Equals(before, value, StringComparison.Ordinal))
                {
                    diff.Add($"{key}: {Show(before)} → {Show(value)}");
                }

                if (value is null)
                {
                    merged.Remove(key);
                }
                else
                {
                    merged[key] = value;
                }
            }

            person.Attributes = PersonAttributeValues.Write(merged);
        }

        if (row.StartDate is { } start)
        {
            Set("start date", person.JoinedOn, start, v => person.JoinedOn = v);
        }

        var mask = kind == ImportKind.Pupils ? person.KindMask | row.KindMask : (person.KindMask & ~s_adultKinds) | row.KindMask;
        if (mask != person.KindMask)
        {
            diff.Add($"kind: {KindNames(person.KindMask)} → {KindNames(mask)}");
            person.KindMask = mask;
        }

        if (!string.Equals(person.Source, source, StringComparison.Ordinal))
        {
            // An adult first known as a parent is now listed by the staff/adults export, which owns the record from here on.
            diff.Add($"now listed in the {source} export (id {row.ExternalId})");
            person.Source = source;
            person.ExternalId = row.ExternalId;
        }

        if (person.LeftOn is { } left)
        {
            diff.Add($"returned (had left on {SchoolClock.Uk(left)})");
            person.LeftOn = null;
        }

        _ = today;
        return diff;
    }

    private static string Describe(Person p) =>
        string.Join(", ", new[] { KindNames(p.KindMask), p.YearGroup is null ? null : $"year {p.YearGroup}", p.ClassName, p.JobTitle }
            .Concat(PersonAttributeValues.Read(p).Select(kv => $"{kv.Key} {kv.Value}"))
            .Where(s => !string.IsNullOrEmpty(s)));

    internal static string KindNames(int mask) =>
        string.Join("+", Enum.GetValues<PersonKind>().Where(k => (mask & (1 << (int)k)) != 0).Select(k => k.ToString().ToLowerInvariant()));

    private static string Show<T>(T value) => value switch
    {
        null => "(none)",
        DateOnly d => SchoolClock.Uk(d),
        string { Length: 0 } => "(none)",
        _ => value.ToString() ?? "",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Import of {Source} (dry run: {DryRun}): {Rows} rows, {Created} created, {Updated} updated, {Unchanged} unchanged, {Leavers} leavers, {Errors} bad rows")]
    private static partial void LogImported(ILogger logger, string source, bool dryRun, int rows, int created, int updated, int unchanged, int leavers, int errors);

    /// <summary>The school's people, links and roles held in memory for one import.</summary>
    private sealed class ImportState(BrightlineDbContext db, string schoolId, DateOnly today, DateTimeOffset now)
    {
        private readonly Dictionary<(string Source, string ExternalId), Person> _byKey = [];
        private readonly Dictionary<string, Person> _byEmail = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<(Guid Parent, Guid Child)> _links = [];
        private readonly Dictionary<Guid, List<Guid>> _parentsOf = [];
        private readonly Dictionary<Guid, List<PersonRole>> _roles = [];

        public List<Person> People { get; } = [];

        public int ParentsCreated { get; private set; }

        public int LinksCreated { get; private set; }

        public async Task LoadAsync(CancellationToken cancellationToken)
        {
            foreach (var p in await db.People.Where(p => p.SchoolId == schoolId).ToListAsync(cancellationToken))
            {
                Index(p);
            }

            foreach (var l in await db.ParentLinks.Where(l => l.SchoolId == schoolId).ToListAsync(cancellationToken))
            {
                _links.Add((l.ParentId, l.ChildId));
                ParentsList(l.ChildId).Add(l.ParentId);
            }

            foreach (var r in await db.PersonRoles.Where(r => r.SchoolId == schoolId).ToListAsync(cancellationToken))
            {
                RolesOf(r.PersonId).Add(r);
            }
        }

        public Person? Find(string source, string externalId) =>
            _byKey.TryGetValue((source, externalId.ToUpperInvariant()), out var p) ? p : null;

        public Person? ByEmail(string email) => _byEmail.TryGetValue(email, out var p) ? p : null;

        public Person Add(Person person)
        {
            db.People.Add(person);
            Index(person);
            return person;
        }

        public (Person Parent, bool IsNew, bool Linked, bool BitAdded) LinkParent(Person child, ImportContact contact, string childExternalId)
        {
            Person? parent = null;
            if (contact.Email is not null)
            {
                parent = ByEmail(contact.Email);
            }

            if (parent is null && ParentsList(child.Id) is { Count: > 0 } existing)
            {
                // Without an email, the same name among the child's parents is the same parent.
                parent = People.FirstOrDefault(p => existing.Contains(p.Id)
                    && string.Equals(PersonNames.Normalise(p.FullName), PersonNames.Normalise($"{contact.GivenName} {contact.FamilyName}"), StringComparison.Ordinal));
            }

            var isNew = false;
            var bitAdded = false;
            var parentBit = PersonGroups.Mask(PersonKind.Parent);
            if (parent is null)
            {
                parent = Add(new Person
                {
                    Id = Guid.NewGuid(),
                    SchoolId = schoolId,
                    ExternalId = contact.Email?.ToLowerInvariant() ?? $"{childExternalId}-contact{contact.Number}",
                    Source = ParentsSource,
                    GivenName = contact.GivenName,
                    FamilyName = contact.FamilyName,
                    KindMask = parentBit,
                    Email = contact.Email,
                    JoinedOn = today,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
                isNew = true;
                ParentsCreated++;
            }
            else
            {
                if ((parent.KindMask & parentBit) == 0)
                {
                    parent.KindMask |= parentBit;
                    parent.UpdatedAt = now;
                    bitAdded = true;
                }

                if (parent.LeftOn is not null && string.Equals(parent.Source, ParentsSource, StringComparison.Ordinal))
                {
                    parent.LeftOn = null;
                    parent.UpdatedAt = now;
                }
            }

            var linked = false;
            if (_links.Add((parent.Id, child.Id)))
            {
                db.ParentLinks.Add(new ParentLink { SchoolId = schoolId, ParentId = parent.Id, ChildId = child.Id, Relationship = contact.Relationship });
                ParentsList(child.Id).Add(parent.Id);
                LinksCreated++;
                linked = true;
            }

            return (parent, isNew, linked, bitAdded);
        }

        public string? SetRoles(Person person, IReadOnlyList<string> roles)
        {
            var current = RolesOf(person.Id);
            var added = roles.Where(r => !current.Any(c => string.Equals(c.Role, r, StringComparison.Ordinal))).ToList();
            var removed = current.Where(c => !roles.Contains(c.Role, StringComparer.Ordinal)).ToList();
            foreach (var r in added)
            {
                var role = new PersonRole { SchoolId = schoolId, PersonId = person.Id, Role = r };
                db.PersonRoles.Add(role);
                current.Add(role);
            }

            foreach (var r in removed)
            {
                db.PersonRoles.Remove(r);
                current.Remove(r);
            }

            return added.Count + removed.Count == 0
                ? null
                : string.Join("; ", added.Select(a => "+" + a).Concat(removed.Select(r => "-" + r.Role)));
        }

        public IEnumerable<Person> ParentsWithoutCurrentChildren()
        {
            var byId = People.ToDictionary(p => p.Id);
            var current = new HashSet<Guid>();
            foreach (var (parentId, childId) in _links)
            {
                if (byId.TryGetValue(childId, out var child) && child.LeftOn is null)
                {
                    current.Add(parentId);
                }
            }

            return People.Where(p => string.Equals(p.Source, ParentsSource, StringComparison.Ordinal) && p.LeftOn is null
                && _links.Any(l => l.Parent == p.Id) && !current.Contains(p.Id)).ToList();
        }

        private void Index(Person p)
        {
            People.Add(p);
            _byKey[(p.Source, p.ExternalId.ToUpperInvariant())] = p;
            if (p.Email is { Length: > 0 } email)
            {
                _byEmail.TryAdd(email, p);
            }
        }

        private List<Guid> ParentsList(Guid childId) =>
            _parentsOf.TryGetValue(childId, out var list) ? list : _parentsOf[childId] = [];

        private List<PersonRole> RolesOf(Guid personId) =>
            _roles.TryGetValue(personId, out var list) ? list : _roles[personId] = [];
    }
}
