using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Consents;

/// <summary>
/// The photo and media consent register (F11, C14; docs/consents.md). Answers are appended and never changed: the state
/// of a question for a child is the latest answer in force — for a <c>renew: yearly</c> question only answers given in
/// the current academic year count (from the policy's <c>academic_year_start</c>) — and no answer counts as no. Every
/// answer, withdrawal, link sent and publication check is audited. Every query names the school.
/// </summary>
public sealed class ConsentRegister(BrightlineDbContext db, PolicyStore policies, AuditLog audit, EmailSender email, PortalLinks links, TimeProvider time)
{
    public const string LinkPurpose = "consent-link";

    /// <summary>How long a parent's consent link works (as long as a countersign link by default).</summary>
    public const int LinkDays = 14;

    public const int MaxNote = 1000;

    /// <summary>"Finley G." — how a child is named in a publication check's answer (first name, surname initial).</summary>
    public static string ShortName(Person p) => p.FamilyName.Length > 0 ? $"{p.GivenName} {p.FamilyName[0]}." : p.GivenName;

    public async Task<ConsentsPolicy> PolicyAsync(string schoolId, CancellationToken ct) => (await policies.ActiveAsync(schoolId, ct)).Consents;

    /// <summary>The academic year label ("2026/27") today falls in, by the school's calendar.</summary>
    public async Task<string> CurrentYearAsync(string schoolId, CancellationToken ct) =>
        (await policies.ActiveAsync(schoolId, ct)).School.Calendar.AcademicYearLabel(SchoolClock.Today(time));

    /// <summary>The pupils' classes at the school (current pupils only), sorted Reception first.</summary>
    public async Task<IReadOnlyList<string>> ClassesAsync(IQueryable<Person> scope, string schoolId, CancellationToken ct)
    {
        var today = SchoolClock.Today(time);
        var pupil = PersonGroups.Mask(PersonKind.Pupil);
        var names = await scope.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && (p.KindMask & pupil) != 0 && p.ClassName != null && (p.LeftOn == null || p.LeftOn > today))
            .Select(p => p.ClassName!).Distinct().ToListAsync(ct);
        return names.OrderBy(Brightline.Agreements.AgreementService.ClassSortKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>A class's current pupils (within <paramref name="scope"/>: a teacher's own class), by name.</summary>
    public async Task<IReadOnlyList<Person>> ClassAsync(IQueryable<Person> scope, string schoolId, string className, CancellationToken ct)
    {
        var today = SchoolClock.Today(time);
        var pupil = PersonGroups.Mask(PersonKind.Pupil);
        var name = className.Trim();
        return await scope.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && (p.KindMask & pupil) != 0 && p.ClassName == name && (p.LeftOn == null || p.LeftOn > today))
            .OrderBy(p => p.GivenName).ThenBy(p => p.FamilyName).ToListAsync(ct);
    }

    public async Task<ChildConsents?> ForChildAsync(string schoolId, Guid childId, CancellationToken ct)
    {
        var child = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == childId, ct);
        return child is null ? null : (await StatesAsync(schoolId, [child], ct))[0];
    }

    /// <summary>The state of every question for each child, from one read of their answers.</summary>
    public async Task<IReadOnlyList<ChildConsents>> StatesAsync(string schoolId, IReadOnlyList<Person> children, CancellationToken ct)
    {
        var policy = await policies.ActiveAsync(schoolId, ct);
        var year = policy.School.Calendar.AcademicYearLabel(SchoolClock.Today(time));
        var ids = children.Select(c => c.Id).ToList();
        var answers = (await db.Set<ConsentAnswer>().AsNoTracking().Where(a => a.SchoolId == schoolId && ids.Contains(a.ChildId)).ToListAsync(ct))
            .ToLookup(a => a.ChildId);
        return children.Select(child => State(policy, child, answers[child.Id], year)).ToList();
    }

    internal static ChildConsents State(SchoolPolicy policy, Person child, IEnumerable<ConsentAnswer> answers, string year)
    {
        var groups = PersonGroups.For(policy, child).Select(g => g.Id).ToList();
        var byQuestion = answers.ToLookup(a => a.QuestionId, StringComparer.Ordinal);
        var cells = policy.Consents.For(groups).Select(q =>
        {
            // Only answers in force: a yearly question forgets last year's answers when the academic year rolls.
            var inForce = byQuestion[q.Id].Where(a => q.Renew == ConsentRenewal.Never || string.Equals(a.AcademicYear, year, StringComparison.Ordinal))
                .OrderByDescending(a => a.AnsweredAt).ThenByDescending(a => a.Id).ToList();
            var parental = inForce.FirstOrDefault(a => !a.Method.IsChilds());
            var verbal = q.ChildVerbal ? inForce.FirstOrDefault(a => a.Method.IsChilds()) : null;
            return new ConsentCell(q, StateOf(parental), q.ChildVerbal ? StateOf(verbal) : null, parental, verbal);
        }).ToList();
        return new ChildConsents(child, cells);
    }

    private static ConsentState StateOf(ConsentAnswer? a) => a is null ? ConsentState.NotAsked : a.Given ? ConsentState.Yes : ConsentState.No;

    /// <summary>Every answer ever recorded for a child, newest first (nothing is deleted).</summary>
    public async Task<IReadOnlyList<ConsentAnswer>> HistoryAsync(string schoolId, Guid childId, CancellationToken ct) =>
        (await db.Set<ConsentAnswer>().AsNoTracking().Where(a => a.SchoolId == schoolId && a.ChildId == childId).ToListAsync(ct))
            .OrderByDescending(a => a.AnsweredAt).ThenByDescending(a => a.Id).ToList();

    /// <summary>
    /// May these children appear on <paramref name="channel"/>? Allowed only when each has the parent's yes (and, where the
    /// question asks it, their own verbal yes) to the question for that channel in force; a child no question asks about
    /// for the channel, or whose answer is missing, is not allowed (C14: no image without consent). Audited, so the school
    /// can show the list was consulted before posting (C14).
    /// </summary>
    public async Task<PublicationCheck> CheckPublicationAsync(string schoolId, IReadOnlyCollection<Guid> childIds, string channel, string actor, CancellationToken ct)
    {
        if (!ConsentChannels.IsKnown(channel))
        {
            throw new InvalidException($"'{channel}' is not a publication channel; use one of {string.Join(", ", ConsentChannels.All)}.") { Field = "channel" };
        }

        if (childIds.Count == 0)
        {
            throw new InvalidException("Choose the children in the image.") { Field = "children" };
        }

        var policy = await policies.ActiveAsync(schoolId, ct);
        var distinct = childIds.Distinct().ToList();
        var children = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && distinct.Contains(p.Id)).ToListAsync(ct);
        if (children.Count != distinct.Count)
        {
            var missing = distinct.First(id => children.All(c => c.Id != id));
            throw new InvalidException($"There is no child {missing} at this school.") { Field = "children" };
        }

        children = children.OrderBy(c => c.GivenName).ThenBy(c => c.FamilyName).ToList();
        var states = await StatesAsync(schoolId, children, ct);
        var words = ConsentChannels.Words(channel);
        var gaps = new List<PublicationGap>();
        foreach (var state in states)
        {
            var name = ShortName(state.Child);
            var cell = state.Cells.FirstOrDefault(c => string.Equals(c.Question.Channel, channel, StringComparison.Ordinal));
            if (cell is null)
            {
                gaps.Add(new PublicationGap(state.Child, null, true, false, $"{name}: the school's policy asks no consent for {words} for this child"));
                continue;
            }

            var lacksParental = cell.Parental != ConsentState.Yes;
            var lacksVerbal = cell.Verbal is { } v && v != ConsentState.Yes;
            if (!lacksParental && !lacksVerbal)
            {
                continue;
            }

            var what = (lacksParental, lacksVerbal) switch
            {
                (true, true) => $"has no parental consent and no verbal consent of their own for {words}",
                (true, false) => $"has no parental consent for {words}",
                _ => $"has not given their own verbal consent for {words}",
            };
            var why = cell.Parental == ConsentState.No ? " (a parent said no)" : cell.Parental == ConsentState.NotAsked && lacksParental ? " (not answered this year)" : "";
            gaps.Add(new PublicationGap(state.Child, cell.Question.Id, lacksParental, lacksVerbal, $"{name} {what}{why}"));
        }

        var reminders = new List<string>();
        if (policy.Consents.FirstNamesOnly == true)
        {
            reminders.Add("First names only: no surnames in captions, file names or tags.");
        }

        if (policy.Consents.HomeAddress == "never")
        {
            reminders.Add("Never a home address, or anything that links a child to one.");
        }

        var check = new PublicationCheck(channel, children, gaps, reminders);
        await audit.AppendAsync(schoolId, actor, ConsentAuditActions.Checked, subject: $"channel {channel}",
            detail: $"{children.Count} child(ren); {(check.Allowed ? "allowed" : $"not allowed: {gaps.Count} without consent")}", cancellationToken: ct);
        return check;
    }

    /// <summary>
    /// Records a staff-entered answer: a parent's paper answer, a withdrawal (always no, with a note saying how it was
    /// given), or the child's own verbal consent (C14). The question must ask about this child.
    /// </summary>
    public async Task<ConsentAnswer> RecordAsync(ConsentActor actor, Guid childId, string questionId, bool given, ConsentMethod method, Guid? parentId, string? answeredBy,
        string? note, CancellationToken ct)
    {
        if (method == ConsentMethod.ParentForm)
        {
            throw new InvalidException("Staff record paper answers, withdrawals and the child's verbal consent; parents answer through their own link.") { Field = "method" };
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > MaxNote })
        {
            throw new InvalidException($"The note is {note.Length} characters; keep it to {MaxNote}.") { Field = "note" };
        }

        if (method == ConsentMethod.Withdrawal && (given || note is null))
        {
            throw new InvalidException("A withdrawal is a 'no' with a note saying how and when the parent withdrew consent.") { Field = "note" };
        }

        var policy = await policies.ActiveAsync(actor.SchoolId, ct);
        var child = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == actor.SchoolId && p.Id == childId, ct)
            ?? throw new NotFoundException("There is no such child at this school.");
        var question = Question(policy, child, questionId);
        if (method == ConsentMethod.ChildVerbal && !question.ChildVerbal)
        {
            throw new InvalidException($"The question '{question.Id}' does not ask for the child's verbal consent.") { Field = "question" };
        }

        string who;
        if (method == ConsentMethod.ChildVerbal)
        {
            who = $"{child.GivenName} (verbal, recorded by {actor.UserName})";
            parentId = null;
        }
        else
        {
            Person? parent = null;
            if (parentId is { } pid)
            {
                parent = await ParentOfAsync(actor.SchoolId, pid, child.Id, ct)
                    ?? throw new InvalidException("That parent is not linked to this child.") { Field = "parent" };
            }

            var name = parent?.FullName ?? answeredBy?.Trim();
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new InvalidException("Say which parent or carer gave the answer.") { Field = "parent" };
            }

            if (name.Length > 120)
            {
                throw new InvalidException("The parent's name is too long (120 characters at most).") { Field = "parent" };
            }

            who = $"{name} ({(method == ConsentMethod.Withdrawal ? "withdrawal" : "paper")}, recorded by {actor.UserName})";
        }

        return await AppendAsync(actor.SchoolId, policy, child, question, given, method, parentId, actor.UserId, who, note,
            actor.UserName, ct);
    }

    /// <summary>Sends each linked parent (with an email address) of the given children one link to answer for all their children.</summary>
    public async Task<int> SendLinksAsync(ConsentActor actor, IReadOnlyCollection<Guid> childIds, CancellationToken ct)
    {
        var policy = await policies.ActiveAsync(actor.SchoolId, ct);
        if (!policy.Consents.Stated)
        {
            throw new InvalidException("The school's policy has no consents section, so there is nothing to ask parents.");
        }

        var today = SchoolClock.Today(time);
        var parents = await (from l in db.ParentLinks.AsNoTracking()
                             join p in db.People.AsNoTracking() on l.ParentId equals p.Id
                             where l.SchoolId == actor.SchoolId && p.SchoolId == actor.SchoolId && childIds.Contains(l.ChildId)
                                   && p.Email != null && p.Email != "" && (p.LeftOn == null || p.LeftOn > today)
                             select p).Distinct().ToListAsync(ct);
        if (parents.Count == 0)
        {
            throw new InvalidException("No linked parent of these children has an email address; import the parents' emails or record paper answers.");
        }

        var sent = 0;
        foreach (var parent in parents)
        {
            var token = SecretTokens.New("blcon_");
            var now = StoredTime.Now(time);
            var expires = now.AddDays(LinkDays);
            db.Set<ConsentLink>().Add(new ConsentLink
            {
                Id = Guid.NewGuid(), SchoolId = actor.SchoolId, TokenHash = SecretTokens.Hash(token), ParentId = parent.Id, CreatedAt = now, ExpiresAt = expires,
                CreatedBy = actor.UserName,
            });
            var body = new StringBuilder()
                .Append("Dear ").Append(parent.GivenName).Append(",\n\n")
                .Append(policy.School.Name).Append(" asks for your consent to use photographs of your child(ren). Please answer yes or no to each question:\n\n")
                .Append(links.BaseUrl()).Append("/consents/answer/").Append(token).Append("\n\n")
                .Append("The link works once and expires on ").Append(UkFormat.Long(SchoolClock.DateOf(expires))).Append(".\n")
                .Append("You can change your mind at any time by telling the school office.\n")
                .ToString();
            if (email.Enqueue(actor.SchoolId, parent.Email!, $"{policy.School.Name}: photographs of your child, your consent", body, LinkPurpose, parent.Id))
            {
                sent++;
            }
        }

        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, ConsentAuditActions.LinkSent, detail: $"{parents.Count} parent(s); {sent} email(s) queued", cancellationToken: ct);
        return parents.Count;
    }

    /// <summary>Creates a link for one parent and returns its token (the demo data and tests; <see cref="SendLinksAsync"/> emails them).</summary>
    internal async Task<string> CreateLinkAsync(string schoolId, Guid parentId, string createdBy, CancellationToken ct)
    {
        var token = SecretTokens.New("blcon_");
        var now = StoredTime.Now(time);
        db.Set<ConsentLink>().Add(new ConsentLink
        {
            Id = Guid.NewGuid(), SchoolId = schoolId, TokenHash = SecretTokens.Hash(token), ParentId = parentId, CreatedAt = now, ExpiresAt = now.AddDays(LinkDays),
            CreatedBy = createdBy,
        });
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>The parent and their children a link is for, or null when it is unknown, used or expired.</summary>
    public async Task<ConsentLinkContext?> OpenLinkAsync(string token, CancellationToken ct)
    {
        var link = await FindLinkAsync(token, ct);
        if (link is null)
        {
            return null;
        }

        var parent = await db.People.AsNoTracking().FirstAsync(p => p.SchoolId == link.SchoolId && p.Id == link.ParentId, ct);
        var children = await ChildrenOfAsync(link.SchoolId, link.ParentId, ct);
        var states = await StatesAsync(link.SchoolId, children, ct);
        var schoolName = await db.Schools.AsNoTracking().Where(s => s.Id == link.SchoolId).Select(s => s.Name).FirstAsync(ct);
        return new ConsentLinkContext(link.SchoolId, schoolName, parent, states.Where(s => s.Cells.Count > 0).ToList(), link.ExpiresAt);
    }

    /// <summary>
    /// Records a parent's answers through their link, once. Every child must be one of the parent's own (the link's family
    /// — a child ID from the form is never trusted), and every question must ask about that child.
    /// </summary>
    public async Task<int> AnswerByLinkAsync(string token, IReadOnlyList<LinkAnswer> answers, string? clientAddress, CancellationToken ct)
    {
        var link = await FindLinkAsync(token, ct) ?? throw new GoneException("This link has expired or has already been used. Ask the school for a new one.", "Link no longer valid");
        if (answers.Count == 0)
        {
            throw new InvalidException("Answer yes or no to at least one question.") { Field = "answers" };
        }

        var policy = await policies.ActiveAsync(link.SchoolId, ct);
        var parent = await db.People.AsNoTracking().FirstAsync(p => p.SchoolId == link.SchoolId && p.Id == link.ParentId, ct);
        var children = (await ChildrenOfAsync(link.SchoolId, link.ParentId, ct)).ToDictionary(c => c.Id);
        var checkedAnswers = new List<(Person Child, ConsentQuestion Question, bool Given)>();
        foreach (var answer in answers)
        {
            if (!children.TryGetValue(answer.ChildId, out var child))
            {
                throw new ForbiddenException("You can answer only for your own children.");
            }

            checkedAnswers.Add((child, Question(policy, child, answer.QuestionId), answer.Given));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Claim the link atomically, so two submissions racing cannot both record (as the countersign link does).
        var now = StoredTime.Now(time);
        var claimed = await db.Set<ConsentLink>().Where(l => l.Id == link.Id && l.UsedAt == null).ExecuteUpdateAsync(u => u.SetProperty(l => l.UsedAt, now), ct);
        if (claimed != 1)
        {
            throw new GoneException("This link has already been used.", "Link no longer valid");
        }

        foreach (var (child, question, given) in checkedAnswers)
        {
            await AppendAsync(link.SchoolId, policy, child, question, given, ConsentMethod.ParentForm, parent.Id, null, $"{parent.FullName} (parent, own link)", null,
                $"parent:{parent.Id}", ct, clientAddress);
        }

        await transaction.CommitAsync(ct);
        return checkedAnswers.Count;
    }

    private async Task<ConsentAnswer> AppendAsync(string schoolId, SchoolPolicy policy, Person child, ConsentQuestion question, bool given, ConsentMethod method,
        Guid? parentId, string? userId, string answeredBy, string? note, string actor, CancellationToken ct, string? clientAddress = null)
    {
        var answer = new ConsentAnswer
        {
            SchoolId = schoolId, ChildId = child.Id, QuestionId = question.Id, Given = given, Method = method, ParentId = parentId, RecordedByUserId = userId,
            AnsweredBy = answeredBy, AnsweredAt = StoredTime.Now(time), AcademicYear = policy.School.Calendar.AcademicYearLabel(SchoolClock.Today(time)), Note = note,
        };
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        db.Set<ConsentAnswer>().Add(answer);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(schoolId, actor, method == ConsentMethod.Withdrawal ? ConsentAuditActions.Withdrawn : ConsentAuditActions.Answered,
            subject: $"person {child.Id}", detail: $"question {question.Id}: {(given ? "yes" : "no")} ({method.Key()})", clientAddress: clientAddress, cancellationToken: ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return answer;
    }

    private static ConsentQuestion Question(SchoolPolicy policy, Person child, string questionId)
    {
        var question = policy.Consents.Find(questionId)
            ?? throw new InvalidException($"'{questionId}' is not one of the school's consent questions.") { Field = "question" };
        var groups = PersonGroups.For(policy, child).Select(g => g.Id).ToList();
        return question.Groups.Any(groups.Contains) ? question
            : throw new InvalidException($"The question '{question.Id}' is not asked about {child.GivenName}'s group.") { Field = "question" };
    }

    private async Task<Person?> ParentOfAsync(string schoolId, Guid parentId, Guid childId, CancellationToken ct) =>
        await (from l in db.ParentLinks.AsNoTracking()
               join p in db.People.AsNoTracking() on l.ParentId equals p.Id
               where l.SchoolId == schoolId && p.SchoolId == schoolId && l.ParentId == parentId && l.ChildId == childId
               select p).FirstOrDefaultAsync(ct);

    /// <summary>A child's linked parents (for the paper form's "who answered").</summary>
    public async Task<IReadOnlyList<Person>> ParentsOfAsync(string schoolId, Guid childId, CancellationToken ct) =>
        await (from l in db.ParentLinks.AsNoTracking()
               join p in db.People.AsNoTracking() on l.ParentId equals p.Id
               where l.SchoolId == schoolId && p.SchoolId == schoolId && l.ChildId == childId
               orderby p.GivenName
               select p).ToListAsync(ct);

    private async Task<List<Person>> ChildrenOfAsync(string schoolId, Guid parentId, CancellationToken ct)
    {
        var today = SchoolClock.Today(time);
        return await (from l in db.ParentLinks.AsNoTracking()
                      join c in db.People.AsNoTracking() on l.ChildId equals c.Id
                      where l.SchoolId == schoolId && c.SchoolId == schoolId && l.ParentId == parentId && (c.LeftOn == null || c.LeftOn > today)
                      orderby c.GivenName
                      select c).ToListAsync(ct);
    }

    private async Task<ConsentLink?> FindLinkAsync(string token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > SecretTokens.MaxLength)
        {
            return null;
        }

        var hash = SecretTokens.Hash(token.Trim());
        var now = StoredTime.Now(time);
        var link = await db.Set<ConsentLink>().AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, ct);
        return link is null || link.UsedAt is not null || link.ExpiresAt <= now ? null : link;
    }
}
