using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Incidents;

/// <summary>
/// Routes incidents by policy (W5, W11, F7, F13, O6, F4) and chases data-breach decisions. Emails carry no
/// detail of the concern — not the kind, names or text — only a link to the portal, where access is checked.
/// Who was told is recorded as a restricted timeline entry.
/// </summary>
public sealed class IncidentNotifier(
    BrightlineDbContext db, PolicyStore policies, EmailSender email, TimeProvider time, PortalLinks links)
{
    public const string CreatedSubject = "A new incident record needs your attention";
    public const string ChaseSubject = "Reminder: a decision is due on an incident record";

    public async Task NotifyCreatedAsync(Incident incident, IncidentNotice notice, CancellationToken cancellationToken)
    {
        var roles = notice.Kind.Notify.ToList();
        if (incident.Serious)
        {
            // W11: serious or persistent breaches go to both the ICT coordinator and the DSL.
            roles.AddRange(notice.Settings.SeriousNotify.Where(r => !roles.Contains(r, StringComparer.Ordinal)));
        }

        var body = $"A new record has been added to the school's incident register and needs your attention.\n\n"
            + $"Please sign in to Brightline to read it:\n{Link(incident)}\n\nThis email deliberately contains no details.\n";
        await SendAsync(incident, notice.Settings, notice.Kind, roles, CreatedSubject, body, "incident-created", cancellationToken);
    }

    /// <summary>Reminds the data-breach register's recipients once per chase point passed (by default 48 and 70 hours after discovery).</summary>
    public async Task<int> ChaseAsync(Incident incident, IncidentSettings settings, CancellationToken cancellationToken)
    {
        var kind = settings.Find(incident.Kind);
        if (kind is null || incident.DiscoveredAt is null || incident.DecisionDueAt is not { } due)
        {
            return 0;
        }

        var left = due - time.GetUtcNow();
        var hours = left > TimeSpan.Zero ? (int)Math.Ceiling(left.TotalHours) : 0;
        var body = $"A decision recorded in Brightline is due by {Brightline.Kernel.UkFormat.DateTime(due)} (about {hours} hours from now) and has not been made yet.\n\n"
            + $"Please sign in to Brightline to record it:\n{Link(incident)}\n\nThis email deliberately contains no details.\n";
        return await SendAsync(incident, settings, kind, kind.Notify, ChaseSubject, body, "incident-chase", cancellationToken);
    }

    private async Task<int> SendAsync(
        Incident incident, IncidentSettings settings, IncidentKindSettings kind, IReadOnlyList<string> roles, string subject, string body, string purpose,
        CancellationToken cancellationToken)
    {
        var excluded = await ExcludedAsync(incident, settings, kind, cancellationToken);
        var told = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lines = new List<string>();
        var notes = new List<string>();
        foreach (var role in roles)
        {
            // H8: head_of_year in a register's notify is the Head of Year of each pupil the record is about, never every one.
            var recipients = string.Equals(role, RoleKeys.HeadOfYear, StringComparison.Ordinal)
                ? await HeadsOfYearAsync(incident, notes, cancellationToken)
                : await RecipientsAsync(incident.SchoolId, role, cancellationToken);
            foreach (var (to, personId) in recipients)
            {
                if ((personId is { } p && excluded.People.Contains(p)) || excluded.Emails.Contains(to) || !told.Add(to))
                {
                    continue;
                }

                email.Enqueue(incident.SchoolId, to, subject, body, purpose, personId);
                lines.Add($"{to} ({role})");
            }
        }

        if (lines.Count == 0 && kind.HideFromSubject && !roles.Contains(RoleKeys.ChairOfGovernors, StringComparer.Ordinal))
        {
            // KCSIE part four: an allegation about the headteacher goes to the chair of governors. When everyone
            // the policy names for this register is the subject (or reports to them), the chair is told instead.
            foreach (var (to, personId) in await RecipientsAsync(incident.SchoolId, RoleKeys.ChairOfGovernors, cancellationToken))
            {
                if ((personId is { } p && excluded.People.Contains(p)) || excluded.Emails.Contains(to) || !told.Add(to))
                {
                    continue;
                }

                email.Enqueue(incident.SchoolId, to, subject, body, purpose, personId);
                lines.Add($"{to} ({RoleKeys.ChairOfGovernors}, because everyone the policy names for this register is the subject of the record or reports to them)");
            }
        }

        var reminder = string.Equals(purpose, "incident-chase", StringComparison.Ordinal);
        if (lines.Count > 0 || kind.HideFromSubject || notes.Count > 0)
        {
            var text = lines.Count > 0
                ? $"{(reminder ? "Reminder sent" : "Told")}: {string.Join(", ", lines)}."
                : $"Nobody was {(reminder ? "reminded" : "told")}: the policy names no one for this register who could be emailed (the subject of the record "
                    + "and anyone who reports to them are never told), and no chair of governors with an email address is known. "
                    + "Add one under roles: chair_of_governors in the policy, or tell them yourself.";
            db.Set<IncidentEntry>().Add(new IncidentEntry
            {
                IncidentId = incident.Id, At = Now(), Author = "brightline", Kind = IncidentEntryKind.Notified, Restricted = true,
                Text = notes.Count > 0 ? $"{text} {string.Join(" ", notes)}" : text,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        return lines.Count;
    }

    /// <summary>
    /// H8: the Heads of Year of the pupils the record is about — portal accounts with the head_of_year role, and people
    /// imported with it, whose own person record is in that pupil's year group (as <see cref="Brightline.Portal.PortalScope.HeadOfYearGroupAsync"/>
    /// knows a Head of Year's year). A year no Head of Year holds is written into <paramref name="notes"/>, so the record
    /// says who was not told: never a silent drop (the register's other roles, the DSL, are told regardless).
    /// </summary>
    private async Task<IReadOnlyList<(string Email, Guid? PersonId)>> HeadsOfYearAsync(Incident incident, List<string> notes, CancellationToken cancellationToken)
    {
        var school = incident.SchoolId;
        var pupilBit = PersonGroups.Mask(PersonKind.Pupil);
        var years = (await db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == incident.Id)
            .Join(db.People.Where(p => p.SchoolId == school && (p.KindMask & pupilBit) != 0 && p.YearGroup != null), ip => ip.PersonId, p => p.Id, (ip, p) => p.YearGroup!)
            .ToListAsync(cancellationToken)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (years.Count == 0)
        {
            notes.Add("No Head of Year was told: the record names no pupil with a year group.");
            return [];
        }

        var found = new List<(string, Guid?)>();
        foreach (var year in years)
        {
            var accounts = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == school && m.Role == RoleKeys.HeadOfYear && m.PersonId != null)
                .Join(db.People.Where(p => p.YearGroup == year && p.LeftOn == null), m => m.PersonId, p => p.Id, (m, p) => new { m.UserId, PersonId = p.Id })
                .Join(db.Users, x => x.UserId, u => u.Id, (x, u) => new { u.Email, x.PersonId })
                .ToListAsync(cancellationToken);
            var imported = await db.PersonRoles.AsNoTracking().Where(r => r.SchoolId == school && r.Role == RoleKeys.HeadOfYear)
                .Join(db.People.Where(p => p.YearGroup == year && p.LeftOn == null && p.Email != null), r => r.PersonId, p => p.Id, (r, p) => new { p.Email, PersonId = p.Id })
                .ToListAsync(cancellationToken);
            var holders = accounts.Concat(imported).Where(h => h.Email is not null).OrderBy(h => h.Email, StringComparer.OrdinalIgnoreCase).ToList();
            if (holders.Count == 0)
            {
                notes.Add($"No Head of Year holds year {year}, so no Head of Year was told about its pupils: give a head_of_year account whose own record is in year {year}.");
            }

            found.AddRange(holders.Select(h => (h.Email!, (Guid?)h.PersonId)));
        }

        return found;
    }

    /// <summary>For allegations about staff: the subjects and their line reports (as the policy names them) are never emailed.</summary>
    private async Task<(HashSet<Guid> People, HashSet<string> Emails)> ExcludedAsync(
        Incident incident, IncidentSettings settings, IncidentKindSettings kind, CancellationToken cancellationToken)
    {
        var people = new HashSet<Guid>();
        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (!kind.HideFromSubject)
        {
            return (people, emails);
        }

        var subjects = await db.Set<IncidentPerson>().AsNoTracking().Where(p => p.IncidentId == incident.Id).Select(p => p.PersonId).ToListAsync(cancellationToken);
        people.UnionWith(subjects);
        var subjectRoles = await RolesOfAsync(db, incident.SchoolId, subjects, cancellationToken);
        foreach (var role in subjectRoles)
        {
            if (settings.LineReports.TryGetValue(role, out var reports))
            {
                foreach (var report in reports)
                {
                    foreach (var (to, id) in await RecipientsAsync(incident.SchoolId, report, cancellationToken))
                    {
                        emails.Add(to);
                        if (id is { } p)
                        {
                            people.Add(p);
                        }
                    }
                }
            }
        }

        var subjectPeople = await db.People.AsNoTracking().Where(p => subjects.Contains(p.Id)).Select(p => new { p.Email, p.GivenName, p.FamilyName }).ToListAsync(cancellationToken);
        emails.UnionWith(subjectPeople.Where(p => p.Email is not null).Select(p => p.Email!));
        // The policy names role holders with their own addresses (e.g. head@…): the subject may be one of them.
        var names = subjectPeople.Select(p => $"{p.GivenName} {p.FamilyName}").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var policy = await policies.ActiveAsync(incident.SchoolId, cancellationToken);
        foreach (var (_, holder) in policy.Roles.All())
        {
            if (names.Contains(holder.Name.Trim()) && holder.Email is { Length: > 0 } e)
            {
                emails.Add(e);
            }
        }

        var accounts = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == incident.SchoolId && m.PersonId != null && subjects.Contains(m.PersonId!.Value))
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email).ToListAsync(cancellationToken);
        emails.UnionWith(accounts.OfType<string>());
        return (people, emails);
    }

    /// <summary>The roles the given people hold: from the people import and from their portal accounts.</summary>
    public static async Task<IReadOnlyList<string>> RolesOfAsync(BrightlineDbContext db, string schoolId, IReadOnlyList<Guid> people, CancellationToken cancellationToken)
    {
        var imported = await db.PersonRoles.AsNoTracking().Where(r => r.SchoolId == schoolId && people.Contains(r.PersonId)).Select(r => r.Role).ToListAsync(cancellationToken);
        var accounts = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && m.PersonId != null && people.Contains(m.PersonId!.Value))
            .Select(m => m.Role).ToListAsync(cancellationToken);
        return imported.Concat(accounts).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The people holding any of the roles (import or portal account).</summary>
    public static async Task<IReadOnlyList<Guid>> HoldersOfAsync(BrightlineDbContext db, string schoolId, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        var imported = await db.PersonRoles.AsNoTracking().Where(r => r.SchoolId == schoolId && roles.Contains(r.Role)).Select(r => r.PersonId).ToListAsync(cancellationToken);
        var accounts = await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == schoolId && m.PersonId != null && roles.Contains(m.Role))
            .Select(m => m.PersonId!.Value).ToListAsync(cancellationToken);
        return imported.Concat(accounts).Distinct().ToList();
    }

    /// <summary>Email addresses for a policy role key (see <see cref="Brightline.People.RoleHolders.EmailsAsync"/>).</summary>
    public Task<IReadOnlyList<(string Email, Guid? PersonId)>> RecipientsAsync(string schoolId, string role, CancellationToken cancellationToken) =>
        Brightline.People.RoleHolders.EmailsAsync(db, policies, schoolId, role, cancellationToken);

    private string Link(Incident incident) => $"{BaseUrl()}/incidents/{incident.Id}";

    private string BaseUrl() => links.BaseUrl();

    private DateTimeOffset Now() => StoredTime.Now(time);
}
