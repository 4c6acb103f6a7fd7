using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.People;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Agreements;

/// <summary>Required agreements, signing, countersigning and chasing.</summary>
public sealed partial class AgreementService(
    BrightlineDbContext db,
    PolicyStore policies,
    AuditLog audit,
    EmailSender email,
    TimeProvider time,
    IOptions<AgreementOptions> options,
    PortalLinks links,
    Brightline.AccessChanges.IAccessChanges accessChanges,
    IApprovedGroups approvedGroups,
    AgreementStandings standings,
    ILogger<AgreementService> logger)
{
    public const string CountersignPurpose = "countersign-link";
    public const string ChasePurpose = "countersign-reminder";

    public async Task<IReadOnlyList<RequiredAgreement>> ForPersonAsync(string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var person = await FindPersonAsync(schoolId, personId, cancellationToken);
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        return await ForPersonAsync(active, person, cancellationToken);
    }

    internal async Task<IReadOnlyList<RequiredAgreement>> ForPersonAsync(ActivePolicy active, Person person, CancellationToken cancellationToken)
    {
        var signatures = await db.Signatures.AsNoTracking()
            .Where(s => s.SchoolId == person.SchoolId && s.PersonId == person.Id)
            .ToListAsync(cancellationToken);
        var extraGroups = await approvedGroups.ForPersonAsync(active.Policy, person.SchoolId, person.Id, cancellationToken);
        return AgreementStatus.Compute(active.Policy, active.Agreements, person, signatures, SchoolClock.Today(time), extraGroups);
    }

    /// <summary>
    /// <see cref="ForPersonAsync(ActivePolicy, Person, CancellationToken)"/> for one page of people at once: their
    /// signatures in one query and the school's official-capacity approvals once, then the same rules per person (the
    /// access-rights register asked for each row separately, six queries a person).
    /// </summary>
    internal async Task<IReadOnlyDictionary<Guid, IReadOnlyList<RequiredAgreement>>> ForPeopleAsync(
        ActivePolicy active, IReadOnlyList<Person> people, CancellationToken cancellationToken)
    {
        var schoolId = active.Version.SchoolId;
        var ids = people.Select(p => p.Id).ToList();
        var signatures = (await db.Signatures.AsNoTracking().Where(s => s.SchoolId == schoolId && ids.Contains(s.PersonId)).ToListAsync(cancellationToken))
            .ToLookup(s => s.PersonId);
        var extraGroups = await approvedGroups.ForSchoolAsync(active.Policy, schoolId, cancellationToken);
        var today = SchoolClock.Today(time);
        return people.ToDictionary(p => p.Id,
            p => AgreementStatus.Compute(active.Policy, active.Agreements, p, signatures[p.Id].ToList(), today, extraGroups.GetValueOrDefault(p.Id)));
    }

    /// <summary>
    /// Everyone on roll with their status, read from the stored standings (issue 18 part 1) rather than evaluated here:
    /// one query for the people and one for their rows, after <see cref="AgreementStandings.EnsureFreshAsync(string, CancellationToken)"/>.
    /// </summary>
    internal async Task<IReadOnlyList<(Person Person, IReadOnlyList<RequiredAgreement> Required)>> SchoolStatusAsync(
        ActivePolicy active, CancellationToken cancellationToken)
    {
        await standings.EnsureFreshAsync(active, cancellationToken);
        var schoolId = active.Version.SchoolId;
        var today = SchoolClock.Today(time);
        var people = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == schoolId)
            .Where(OnRoll.On(today))
            .ToListAsync(cancellationToken);
        var rows = (await db.Set<AgreementStanding>().AsNoTracking().Where(s => s.SchoolId == schoolId).ToListAsync(cancellationToken))
            .ToLookup(s => s.PersonId);
        return people
            .Select(p => (p, AgreementStandings.Ordered(rows[p.Id], active, today)))
            .ToList();
    }

    /// <summary>
    /// Everyone on roll with their agreements and standing, narrowed to <paramref name="visible"/> when the reader sees
    /// only some people: the same read the dashboard counts, so the agreements pages agree with it.
    /// </summary>
    public async Task<IReadOnlyList<PersonCompliance>> StandingAsync(string schoolId, IReadOnlySet<Guid>? visible, CancellationToken cancellationToken)
    {
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        return (await SchoolStatusAsync(active, cancellationToken))
            .Where(s => visible is null || visible.Contains(s.Person.Id))
            .Select(s => new PersonCompliance(s.Person, s.Required, PersonCompliance.Overall(s.Required)))
            .ToList();
    }

    public Task<ComplianceSummary> ComplianceAsync(string schoolId, CancellationToken cancellationToken) =>
        ComplianceAsync(schoolId, within: null, overdueLimit: int.MaxValue, cancellationToken);

    /// <summary>
    /// The school's agreements counted in the database from the stored standings (issue 18 part 2: the dashboard read
    /// and evaluated every person, 1.7 s at 40,000 people). One grouped query gives each combination of the fields
    /// that decide groups and classes (kinds, year, class, attributes) with its overall standing and how many people
    /// share it, so groups are worked out per combination, not per person; the overdue list is ordered in the database
    /// and names the first <paramref name="overdueLimit"/> people in full. <paramref name="within"/> narrows
    /// everything to the people a reader may see. The standings follow the same rules as
    /// <see cref="AgreementStatus.Compute"/>, so the counts are those of <see cref="PersonCompliance.Overall"/>.
    /// </summary>
    public async Task<ComplianceSummary> ComplianceAsync(string schoolId, IQueryable<Person>? within, int overdueLimit, CancellationToken cancellationToken)
    {
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        await standings.EnsureFreshAsync(active, cancellationToken);
        var policy = active.Policy;
        var today = SchoolClock.Today(time);
        var agreementIds = policy.Agreements.Select(a => a.Id).ToList();
        var rows = db.Set<AgreementStanding>().Where(s => s.SchoolId == schoolId && agreementIds.Contains(s.AgreementId));
        var people = (within ?? db.People).Where(p => p.SchoolId == schoolId).Where(OnRoll.On(today));
        // Each person's worst row (0 signed, 1 due, 2 overdue; none: no agreement needed). On SQLite one scalar found by
        // the person's key: three EXISTS per person took three times as long, and naming the school in them made SQLite
        // read the school's whole index for each person (the first page at 40,000 people never answered).
        // PostgreSQL runs that scalar subquery once per person (a SubPlan; 210 ms at 53,000 people) but hashes a join:
        // each person's worst row grouped once and left-joined, so the people with no rows (no agreement needed) are
        // counted in the same pass (a second count of everyone cost a further 33 ms). SQLite runs the join form slower
        // than the scalar one. Either way, one row per person, grouped by the fields that decide groups.
        var rowsOf = db.Set<AgreementStanding>().Where(s => agreementIds.Contains(s.AgreementId));
        var worst = rows.GroupBy(s => s.PersonId).Select(g => new { PersonId = g.Key, Worst = g.Max(s => s.Signed ? 0 : s.DueBy < today ? 2 : 1) });
        var worstPerPerson = db.Database.IsNpgsql()
            ? from p in people
              join w in worst on p.Id equals w.PersonId into found
              from w in found.DefaultIfEmpty()
              select new { p.KindMask, p.YearGroup, p.ClassName, p.Attributes, Worst = (int?)w.Worst }
            : people.Select(p => new
            {
                p.KindMask,
                p.YearGroup,
                p.ClassName,
                p.Attributes,
                Worst = rowsOf.Where(s => s.PersonId == p.Id).Max(s => (int?)(s.Signed ? 0 : s.DueBy < today ? 2 : 1)),
            });
        var grouped = (await worstPerPerson
            .GroupBy(x => new { x.KindMask, x.YearGroup, x.ClassName, x.Attributes, x.Worst })
            .Select(g => new { g.Key.KindMask, g.Key.YearGroup, g.Key.ClassName, g.Key.Attributes, g.Key.Worst, Count = g.Count() })
            .ToListAsync(cancellationToken));

        var tallies = grouped.Select(t => new
        {
            t.KindMask,
            t.YearGroup,
            t.ClassName,
            t.Attributes,
            State = t.Worst switch
            {
                null => ComplianceState.NotRequired,
                0 => ComplianceState.Signed,
                1 => ComplianceState.Due,
                2 => ComplianceState.Overdue,
                _ => throw new InvalidOperationException($"Unknown agreement state {t.Worst}."),
            },
            t.Count,
        }).ToList();

        var members = tallies.Select(t => (Tally: t, Groups: PersonGroups.For(policy, new Person
        {
            SchoolId = schoolId, ExternalId = "", Source = "", GivenName = "", FamilyName = "",
            KindMask = t.KindMask, YearGroup = t.YearGroup, ClassName = t.ClassName, Attributes = t.Attributes,
        }).Select(g => g.Id).ToHashSet(StringComparer.Ordinal))).ToList();
        int Count(IEnumerable<int> counts) => counts.Sum();
        var groups = policy.Groups.Select(group =>
        {
            var inGroup = members.Where(m => m.Groups.Contains(group.Id)).Select(m => m.Tally).ToList();
            return new GroupCompliance(group.Id, group.Name, Count(inGroup.Select(t => t.Count)),
                Count(inGroup.Where(t => t.State == ComplianceState.Signed).Select(t => t.Count)), Count(inGroup.Where(t => t.State == ComplianceState.Due).Select(t => t.Count)),
                Count(inGroup.Where(t => t.State == ComplianceState.Overdue).Select(t => t.Count)), Count(inGroup.Where(t => t.State == ComplianceState.NotRequired).Select(t => t.Count)));
        }).ToList();

        // Classes are pupils' classes; a teacher's class is where they teach, not a group they are in.
        var pupil = PersonGroups.Mask(PersonKind.Pupil);
        var classes = tallies
            .Where(t => (t.KindMask & pupil) != 0 && !string.IsNullOrWhiteSpace(t.ClassName))
            .GroupBy(t => t.ClassName!, StringComparer.Ordinal)
            .OrderBy(g => ClassSortKey(g.Key), StringComparer.Ordinal)
            .Select(g => new ClassCompliance(g.Key, g.Sum(t => t.Count),
                g.Where(t => t.State == ComplianceState.Signed).Sum(t => t.Count), g.Where(t => t.State == ComplianceState.Due).Sum(t => t.Count),
                g.Where(t => t.State == ComplianceState.Overdue).Sum(t => t.Count), g.Where(t => t.State == ComplianceState.NotRequired).Sum(t => t.Count)))
            .ToList();
        var byState = Enum.GetValues<ComplianceState>().ToDictionary(state => state, state => tallies.Where(t => t.State == state).Sum(t => t.Count));

        // The overdue list's order (earliest overdue, class, name) taken in the database, byte order on both (the
        // ordinal order OverdueList sorts by), so only the first page's people are read — reading every overdue row to
        // sort them in memory took longer than the counts at 40,000 people. Then those people in full, through the same
        // OverdueList the single-person pages use.
        var binary = db.Database.IsNpgsql() ? "C" : "BINARY";
        var latest = from s in rows
                     where !s.Signed && s.DueBy < today
                     group s by s.PersonId into g
                     select new { PersonId = g.Key, DueBy = g.Min(s => s.DueBy) };
        var order = overdueLimit <= 0 ? [] : await (from l in latest
                                                    join p in people on l.PersonId equals p.Id
                                                    orderby l.DueBy, EF.Functions.Collate(p.ClassName ?? "", binary), EF.Functions.Collate(p.GivenName + " " + p.FamilyName, binary), p.Id
                                                    select p.Id).Take(overdueLimit).ToListAsync(cancellationToken);
        var overdue = order.Count == 0 ? [] : OverdueList(await ReadStandingOfAsync(active, db.People.Where(p => order.Contains(p.Id)), cancellationToken));
        var nextReview = policy.Policy.NextReview;
        return new ComplianceSummary(groups, classes, overdue, nextReview, today >= nextReview.AddDays(-30))
        {
            ByState = byState,
            OverdueTotal = byState[ComplianceState.Overdue],
        };
    }

    /// <summary>The people of <paramref name="people"/> on roll with their agreements from the stored standings: two queries, whatever the school's size.</summary>
    internal async Task<IReadOnlyList<PersonCompliance>> StandingOfAsync(ActivePolicy active, IQueryable<Person> people, CancellationToken cancellationToken)
    {
        await standings.EnsureFreshAsync(active, cancellationToken);
        return await ReadStandingOfAsync(active, people, cancellationToken);
    }

    /// <summary>The stored standings of <paramref name="people"/>, for a caller that has just brought them up to date.</summary>
    private async Task<IReadOnlyList<PersonCompliance>> ReadStandingOfAsync(ActivePolicy active, IQueryable<Person> people, CancellationToken cancellationToken)
    {
        var schoolId = active.Version.SchoolId;
        var today = SchoolClock.Today(time);
        var list = await people.AsNoTracking().Where(p => p.SchoolId == schoolId).Where(OnRoll.On(today)).ToListAsync(cancellationToken);
        var ids = list.Select(p => p.Id).ToList();
        var rows = (await db.Set<AgreementStanding>().AsNoTracking().Where(s => s.SchoolId == schoolId && ids.Contains(s.PersonId)).ToListAsync(cancellationToken))
            .ToLookup(s => s.PersonId);
        return list.Select(p =>
        {
            var required = AgreementStandings.Ordered(rows[p.Id], active, today);
            return new PersonCompliance(p, required, PersonCompliance.Overall(required));
        }).ToList();
    }

    /// <summary><see cref="StandingOfAsync(ActivePolicy, IQueryable{Person}, CancellationToken)"/> for the school's active policy.</summary>
    public async Task<IReadOnlyList<PersonCompliance>> StandingOfAsync(string schoolId, IQueryable<Person> people, CancellationToken cancellationToken) =>
        await StandingOfAsync(await policies.ActiveVersionAsync(schoolId, cancellationToken), people, cancellationToken);

    /// <summary>
    /// One row per overdue person (issue 17 defect 7: one row per agreement made "first 50 of 94" sit under "95
    /// overdue"), earliest due first; <paramref name="people"/> is already scoped to what the reader may see.
    /// </summary>
    public static IReadOnlyList<OverduePerson> OverdueList(IEnumerable<PersonCompliance> people) =>
        people
            .Where(s => s.State == ComplianceState.Overdue)
            .Select(s =>
            {
                var late = s.Required.Where(r => r.State == AgreementState.Overdue).OrderBy(r => r.DueBy).ToList();
                return new OverduePerson(s.Person.Id, s.Person.FullName, s.Person.ClassName, string.Join("; ", late.Select(r => r.Title)), late[0].DueBy,
                    AwaitingParent: late.All(r => r.NeedsParent && !r.ParentSigned && (!r.NeedsSelf || r.SelfSigned)));
            })
            .OrderBy(o => o.DueBy)
            .ThenBy(o => o.ClassName ?? "", StringComparer.Ordinal)
            .ThenBy(o => o.Name, StringComparer.Ordinal)
            .ToList();

    public async Task<Signature> SignAsync(SignRequest request, CancellationToken cancellationToken)
    {
        var person = await FindPersonAsync(request.SchoolId, request.PersonId, cancellationToken);
        var active = await policies.ActiveVersionAsync(request.SchoolId, cancellationToken);
        var agreement = active.Policy.FindAgreement(request.AgreementId)
            ?? throw new NotFoundException($"The policy has no agreement '{request.AgreementId}'.");
        var required = (await ForPersonAsync(active, person, cancellationToken))
            .FirstOrDefault(r => string.Equals(r.AgreementId, agreement.Id, StringComparison.Ordinal))
            ?? throw new InvalidException($"{person.FullName} does not need to sign \"{agreement.Title}\".");

        SignerCapacity capacity;
        Person signer;
        if (request.SignerId == person.Id)
        {
            if (!required.NeedsSelf)
            {
                throw new InvalidException($"\"{agreement.Title}\" is signed by a parent, not by {person.GivenName}.");
            }

            capacity = SignerCapacity.Self;
            signer = person;
        }
        else
        {
            var linked = await db.ParentLinks.AsNoTracking()
                .AnyAsync(l => l.SchoolId == request.SchoolId && l.ParentId == request.SignerId && l.ChildId == person.Id, cancellationToken);
            if (!linked)
            {
                throw new ForbiddenException($"Only {person.GivenName} or a parent linked to them may sign this agreement.");
            }

            if (!required.NeedsParent)
            {
                throw new InvalidException($"\"{agreement.Title}\" does not ask for a parent's signature.");
            }

            capacity = SignerCapacity.Parent;
            signer = await FindPersonAsync(request.SchoolId, request.SignerId, cancellationToken);
        }

        if ((capacity == SignerCapacity.Self && required.SelfSigned) || (capacity == SignerCapacity.Parent && required.ParentSigned))
        {
            throw new ConflictException($"\"{agreement.Title}\" has already been signed{(capacity == SignerCapacity.Parent ? " by a parent" : "")} for {person.FullName}.", "Already signed");
        }

        var signedName = (request.SignedName ?? "").Trim();
        if (signedName.Length == 0)
        {
            throw new InvalidException("Type your full name to sign.");
        }

        if (!string.Equals(PersonNames.Normalise(signedName), PersonNames.Normalise(signer.FullName), StringComparison.Ordinal))
        {
            // Never echo the expected name: whoever holds a link or a shared device would learn a child's or parent's full name (issue 10, item 13).
            throw new InvalidException("The name typed does not match the name the school holds for you. Type your full name as the school has it (first name and surname).");
        }

        var jobTitle = string.IsNullOrWhiteSpace(request.JobTitle) ? null : request.JobTitle.Trim();
        if (capacity == SignerCapacity.Self && agreement.Fields.Contains(SignatureField.JobTitle) && jobTitle is null)
        {
            throw new InvalidException("Enter your job title: this agreement asks for it.");
        }

        // Issue 15 part 4: the agreement's questions, answered by whoever signs; a required one unanswered refuses the signature.
        var answers = SignatureAnswers.Validate(agreement, request.Answers);
        var childName = capacity == SignerCapacity.Self && agreement.Fields.Contains(SignatureField.ChildName)
            ? await NamedChildAsync(person, request.ChildName, cancellationToken)
            : null;

        var now = NowUtc();
        var version = active.Agreements[agreement.Id];
        var signature = new Signature
        {
            Id = Guid.NewGuid(),
            SchoolId = request.SchoolId,
            PersonId = person.Id,
            SignerId = signer.Id,
            Capacity = capacity,
            AgreementVersionId = version.Id,
            AgreementId = agreement.Id,
            TextHash = version.TextHash,
            SignedName = signedName,
            JobTitle = jobTitle,
            ClassName = string.IsNullOrWhiteSpace(request.ClassName) ? person.ClassName : request.ClassName.Trim(),
            TeacherPresent = request.TeacherPresent,
            Method = request.Method,
            SignedAt = now,
            ClientAddress = request.ClientAddress,
            AcademicYear = active.Policy.School.Calendar.AcademicYearLabel(SchoolClock.DateOf(now)),
            Answers = answers,
            ChildName = childName,
        };
        // The signature and the person's stored standing change together (issue 18 part 1).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        db.Signatures.Add(signature);
        // A signature (first, renewed or a parent's countersignature) may give the person back the internet.
        accessChanges.Publish(db, request.SchoolId, person.Id,
            signer.Id == person.Id ? Brightline.AccessChanges.AccessChangeReasons.AgreementSigned : Brightline.AccessChanges.AccessChangeReasons.AgreementCountersigned);
        await db.SaveChangesAsync(cancellationToken);
        await standings.RefreshPeopleAsync(active, [person.Id], cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        await audit.AppendAsync(request.SchoolId, request.Actor, AuditActions.Sign, subject: $"person {person.Id}",
            detail: $"agreement {agreement.Id} ({capacity}{(required.OnBehalf ? ", on behalf" : "")}, {request.Method}) text {version.TextHash}", clientAddress: request.ClientAddress,
            cancellationToken: cancellationToken);
        return signature;
    }

    /// <summary>
    /// O13 (Omnicom's parent form: "Name of child"): the child a parent names when signing their own agreement. One of
    /// their linked children when the school has linked any (the name as the school holds it); otherwise the name typed.
    /// </summary>
    private async Task<string> NamedChildAsync(Person parent, string? typed, CancellationToken cancellationToken)
    {
        var name = (typed ?? "").Trim();
        if (name.Length == 0)
        {
            throw new InvalidException("Give your child's name: this agreement asks for it.", "Child not named") { Field = "childName" };
        }

        var children = await (from l in db.ParentLinks.AsNoTracking()
                               join c in db.People.AsNoTracking() on l.ChildId equals c.Id
                               where l.SchoolId == parent.SchoolId && l.ParentId == parent.Id
                               select c).ToListAsync(cancellationToken);
        if (children.Count == 0)
        {
            return name.Length <= 200 ? name : throw new InvalidException("The child's name is longer than 200 characters.") { Field = "childName" };
        }

        var match = children.FirstOrDefault(c => string.Equals(PersonNames.Normalise(c.FullName), PersonNames.Normalise(name), StringComparison.Ordinal)
            || string.Equals(c.Id.ToString(), name, StringComparison.OrdinalIgnoreCase));
        return match?.FullName
            ?? throw new InvalidException("Choose one of your children as the school has them (first name and surname).", "Child not named") { Field = "childName" };
    }

    public async Task SendCountersignLinkAsync(string schoolId, Guid childId, string agreementId, string actor, CancellationToken cancellationToken)
    {
        var child = await FindPersonAsync(schoolId, childId, cancellationToken);
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        var required = (await ForPersonAsync(active, child, cancellationToken))
            .FirstOrDefault(r => string.Equals(r.AgreementId, agreementId, StringComparison.Ordinal))
            ?? throw new InvalidException($"{child.FullName} does not need to sign '{agreementId}'.");
        if (!required.NeedsParent)
        {
            throw new InvalidException($"\"{required.Title}\" does not ask for a parent's signature.");
        }

        if (required.ParentSigned)
        {
            throw new ConflictException($"A parent has already signed \"{required.Title}\" for {child.FullName}.", "Already signed");
        }

        var parents = await ParentsOfAsync(schoolId, [child.Id], cancellationToken);
        var withEmail = parents.Where(p => p.Parent.Email is { Length: > 0 }).ToList();
        if (withEmail.Count == 0)
        {
            throw new InvalidException($"{child.FullName} has no linked parent with an email address; import the parent's email or collect a paper signature.");
        }

        var version = active.Agreements[agreementId];
        foreach (var (parent, _) in withEmail)
        {
            var (link, expires) = await CreateLinkAsync(schoolId, child.Id, parent.Id, version.Id, cancellationToken);
            // Issue 17 defect 4: say which school asks and which child it is for (full name and class — the email goes
            // to the parent's own address; the page behind the link shows the first name only), so it reads as the school.
            var school = active.Policy.School.Name;
            var body = new StringBuilder()
                .Append("Dear ").Append(parent.GivenName).Append(",\n\n")
                .Append(school).Append(" asks you to read and countersign \"").Append(version.Title).Append("\" for ")
                .Append(ChildDescription(child)).Append(".\n\n")
                .Append(link).Append("\n\n")
                .Append("The link works once and expires on ").Append(LongUk(expires)).Append(".\n")
                .Append("If you were not expecting this email, please contact the ").Append(school).Append(" office.\n")
                .ToString();
            email.Enqueue(schoolId, parent.Email!, $"{school}: please countersign \"{version.Title}\" for {child.GivenName}", body, CountersignPurpose, parent.Id);
        }

        await audit.AppendAsync(schoolId, actor, AuditActions.CountersignLinkSent, subject: $"person {child.Id}",
            detail: $"agreement {agreementId}; {withEmail.Count} parent(s)", cancellationToken: cancellationToken);
    }

    /// <summary>"Leo Khan (Class 4B)": who a parent's email is about, so a parent of two knows which child.</summary>
    private static string ChildDescription(Person child) =>
        child.ClassName is { Length: > 0 } cls ? $"{child.FullName} ({cls})"
        : child.YearGroup is { Length: > 0 } year ? $"{child.FullName} ({year})"
        : child.FullName;

    public async Task<CountersignContext?> OpenCountersignAsync(string token, CancellationToken cancellationToken)
    {
        var row = await FindTokenAsync(token, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var child = await db.People.AsNoTracking().FirstAsync(p => p.Id == row.ChildId, cancellationToken);
        var parent = await db.People.AsNoTracking().FirstAsync(p => p.Id == row.ParentId, cancellationToken);
        var version = await db.AgreementVersions.AsNoTracking().FirstAsync(v => v.Id == row.AgreementVersionId, cancellationToken);
        return new CountersignContext(row.SchoolId, child, parent, version, row.ExpiresAt);
    }

    public async Task<Signature> CountersignAsync(
        string token, string signedName, string? clientAddress, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? answers = null)
    {
        var row = await FindTokenAsync(token, cancellationToken)
            ?? throw new GoneException("This link has expired or has already been used. Ask the school for a new one.", "Link no longer valid");
        var version = await db.AgreementVersions.AsNoTracking().FirstAsync(v => v.Id == row.AgreementVersionId, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Claim the token atomically, so two clicks racing cannot both sign.
        var now = NowUtc();
        var claimed = await db.CountersignTokens
            .Where(t => t.Id == row.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed != 1)
        {
            throw new GoneException("This link has already been used.", "Link no longer valid");
        }

        var signature = await SignAsync(new SignRequest(
            row.SchoolId, row.ChildId, row.ParentId, version.AgreementId, signedName, null, null, false,
            SignatureMethod.EmailLink, clientAddress, $"parent:{row.ParentId}")
        {
            Answers = answers,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return signature;
    }

    /// <summary>The API's chase: plan and send in one call (a machine caller confirms nothing).</summary>
    public async Task<int> ChaseParentsAsync(string schoolId, string actor, CancellationToken cancellationToken)
    {
        var plan = await PlanChaseAsync(schoolId, null, cancellationToken);
        return (await SendChaseAsync(schoolId, plan, actor, null, cancellationToken)).Sent;
    }

    /// <summary>
    /// Who a chase would email, worked out once (issue 17 defect 7): one reminder per parent or carer with an email
    /// address, covering every countersignature of theirs still waiting. The confirmation shows this plan's numbers
    /// and the send uses the same plan, so "Send 70 reminders?" is followed by "Sent 70". Children whose parents have
    /// no email address are listed, not silently dropped. <paramref name="selection"/> narrows it to chosen children
    /// (and, when given, one agreement): "chase the selected parents".
    /// </summary>
    public async Task<ChasePlan> PlanChaseAsync(string schoolId, ChaseSelection? selection, CancellationToken cancellationToken)
    {
        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        var status = await SchoolStatusAsync(active, cancellationToken);
        var outstanding = status
            .Where(s => selection is null || selection.Children.Contains(s.Person.Id))
            .SelectMany(s => s.Required
                .Where(r => r.NeedsParent && !r.ParentSigned
                    && (selection?.AgreementId is null || string.Equals(r.AgreementId, selection.AgreementId, StringComparison.Ordinal)))
                .Select(r => (Child: s.Person, Required: r)))
            .ToList();
        var today = SchoolClock.Today(time);
        List<(Person Parent, Guid ChildId)> links = outstanding.Count == 0 ? [] : await ParentsOfAsync(schoolId, outstanding.Select(o => o.Child.Id).Distinct().ToList(), cancellationToken);
        var reachable = links.Where(l => l.Parent.Email is { Length: > 0 } && OnRoll.Is(l.Parent, today)).ToList();
        // By child, so each letter finds its items directly (scanning every outstanding item per parent was quadratic).
        var byChild = outstanding.ToLookup(o => o.Child.Id);
        var letters = reachable
            .GroupBy(l => l.Parent.Id)
            .Select(g =>
            {
                return new ChaseLetter(g.First().Parent, g.Select(l => l.ChildId).Distinct().SelectMany(c => byChild[c])
                    .OrderBy(o => o.Child.GivenName, StringComparer.Ordinal).ThenBy(o => o.Required.Title, StringComparer.Ordinal)
                    .Select(o => new ChaseItem(o.Child, o.Required)).ToList());
            })
            .OrderBy(l => l.Parent.FamilyName, StringComparer.Ordinal).ThenBy(l => l.Parent.GivenName, StringComparer.Ordinal).ThenBy(l => l.Parent.Id)
            .ToList();
        var covered = reachable.Select(l => l.ChildId).ToHashSet();
        var unreachable = outstanding.Where(o => !covered.Contains(o.Child.Id)).Select(o => o.Child).DistinctBy(c => c.Id)
            .OrderBy(c => c.FamilyName, StringComparer.Ordinal).ThenBy(c => c.GivenName, StringComparer.Ordinal).ToList();
        return new ChasePlan(letters, outstanding.Count, unreachable);
    }

    /// <summary>
    /// How many reminders a whole-school chase would send now (<see cref="PlanChaseAsync"/>'s letters), counted in the
    /// database from the stored standings: parents on roll with an email address, linked to a child on roll whose
    /// countersignature is outstanding.
    /// </summary>
    public async Task<int> ReminderCountAsync(string schoolId, CancellationToken cancellationToken)
    {
        await standings.EnsureFreshAsync(schoolId, cancellationToken);
        var today = SchoolClock.Today(time);
        return await (from s in db.Set<AgreementStanding>()
                      join child in db.People.Where(OnRoll.On(today)) on s.PersonId equals child.Id
                      join l in db.ParentLinks on s.PersonId equals l.ChildId
                      join parent in db.People.Where(OnRoll.On(today)) on l.ParentId equals parent.Id
                      where s.SchoolId == schoolId && s.NeedsParent && !s.ParentSigned && parent.Email != null && parent.Email != ""
                      select l.ParentId).Distinct().CountAsync(cancellationToken);
    }

    /// <summary>
    /// Sends a planned chase: each letter's single-use links and its email are saved together, a batch at a time, and
    /// <paramref name="progress"/> hears how many letters are done after each batch (the portal shows it). What was
    /// sent is audited even if the run stops part-way.
    /// </summary>
    public async Task<ChaseOutcome> SendChaseAsync(string schoolId, ChasePlan plan, string actor, Func<int, Task>? progress, CancellationToken cancellationToken)
    {
        const int batch = 20;
        var schoolName = (await policies.ActiveVersionAsync(schoolId, cancellationToken)).Policy.School.Name;
        int sent = 0, failed = 0, done = 0, savedSent = 0, savedFailed = 0;
        try
        {
            foreach (var letter in plan.Letters)
            {
                var parent = letter.Parent;
                var body = new StringBuilder().Append("Dear ").Append(parent.GivenName).Append(",\n\n")
                    .Append(schoolName).Append(" is still waiting for your signature on the following agreement(s):\n\n");
                DateTimeOffset? expires = null;
                foreach (var item in letter.Items)
                {
                    var (link, until) = AddLink(schoolId, item.Child.Id, parent.Id, item.Required.AgreementVersionId);
                    expires = until;
                    body.Append("- \"").Append(item.Required.Title).Append("\" for ").Append(ChildDescription(item.Child)).Append(":\n  ").Append(link).Append("\n\n");
                }

                body.Append("Each link works once and expires on ").Append(LongUk(expires!.Value)).Append(".\n")
                    .Append("If you were not expecting this email, please contact the ").Append(schoolName).Append(" office.\n");
                if (email.Enqueue(schoolId, parent.Email!, $"{schoolName}: reminder, agreements waiting for your signature", body.ToString(), ChasePurpose, parent.Id))
                {
                    sent++;
                }
                else
                {
                    failed++;
                }

                if (++done % batch == 0 || done == plan.Letters.Count)
                {
                    // Links and emails commit together: a parent never gets an email whose link was not saved.
                    await db.SaveChangesAsync(cancellationToken);
                    (savedSent, savedFailed) = (sent, failed);
                    if (progress is not null)
                    {
                        await progress(done);
                    }
                }
            }
        }
        catch (Exception)
        {
            // Unsaved links and emails are dropped (the audit below must not commit them); what was saved is recorded.
            db.ChangeTracker.Clear();
            await AuditChaseAsync(schoolId, actor, plan, savedSent, savedFailed, stopped: true);
            throw;
        }

        await AuditChaseAsync(schoolId, actor, plan, sent, failed, stopped: false);
        return new ChaseOutcome(sent, failed);
    }

    private async Task AuditChaseAsync(string schoolId, string actor, ChasePlan plan, int sent, int failed, bool stopped)
    {
        LogChased(logger, sent, failed);
        await audit.AppendAsync(schoolId, actor, AuditActions.ReminderSent,
            detail: plan.Letters.Count == 0
                ? $"0 reminder(s): nothing outstanding{(plan.Unreachable.Count > 0 ? $"; {plan.Unreachable.Count} child(ren) with no parent email" : "")}"
                : $"{sent} reminder(s) sent, {failed} failed, of {plan.Letters.Count} planned{(stopped ? " (stopped part-way)" : "")}; "
                    + $"{plan.Countersignatures} outstanding countersignature(s); {plan.Unreachable.Count} child(ren) with no parent email",
            cancellationToken: CancellationToken.None);
    }

    /// <summary>Sorts "R Oak" before "1 Ash" before "10 Elm": by year (Reception first, numerically), then name.</summary>
    internal static string ClassSortKey(string className)
    {
        var first = className.Split(' ', 2)[0];
        var year = first switch
        {
            "N" => -1,
            "R" or "Rec" or "Reception" => 0,
            _ => int.TryParse(first, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 99,
        };
        return $"{year + 1:000} {className}";
    }

    internal static string HashToken(string token) => AgreementText.Sha256Hex(token);

    private static string LongUk(DateTimeOffset at) =>
        SchoolClock.DateOf(at).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    private async Task<Person> FindPersonAsync(string schoolId, Guid personId, CancellationToken cancellationToken) =>
        await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == personId, cancellationToken)
        ?? throw new NotFoundException($"There is no person {personId} at school '{schoolId}'.");

    private async Task<List<(Person Parent, Guid ChildId)>> ParentsOfAsync(string schoolId, IReadOnlyCollection<Guid> childIds, CancellationToken cancellationToken)
    {
        var rows = await (from l in db.ParentLinks.AsNoTracking()
                          join p in db.People.AsNoTracking() on l.ParentId equals p.Id
                          where l.SchoolId == schoolId && childIds.Contains(l.ChildId)
                          select new { Parent = p, l.ChildId }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Parent, r.ChildId)).ToList();
    }

    private async Task<CountersignToken?> FindTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = HashToken(token.Trim());
        var now = NowUtc();
        var row = await db.CountersignTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        return row is null || row.UsedAt is not null || row.ExpiresAt <= now ? null : row;
    }

    private async Task<(string Link, DateTimeOffset Expires)> CreateLinkAsync(
        string schoolId, Guid childId, Guid parentId, long versionId, CancellationToken cancellationToken)
    {
        var created = AddLink(schoolId, childId, parentId, versionId);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    /// <summary>A new single-use countersign link, added to the unit of work; the caller saves.</summary>
    private (string Link, DateTimeOffset Expires) AddLink(string schoolId, Guid childId, Guid parentId, long versionId)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = NowUtc();
        var expires = now.AddDays(Math.Max(1, options.Value.CountersignLinkDays));
        db.CountersignTokens.Add(new CountersignToken
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            TokenHash = HashToken(token),
            ChildId = childId,
            ParentId = parentId,
            AgreementVersionId = versionId,
            CreatedAt = now,
            ExpiresAt = expires,
        });
        return ($"{BaseUrl()}/countersign/{token}", expires);
    }

    private string BaseUrl() => links.BaseUrl();

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private DateTimeOffset NowUtc()
    {
        var at = time.GetUtcNow();
        return new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Countersign reminders: {Sent} sent, {Failed} failed")]
    private static partial void LogChased(ILogger logger, int sent, int failed);
}
