using System.Globalization;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Monitoring;
using Brightline.Policies;
using Brightline.Portal;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>
/// A school's own exception library (issue 16 part 4, host half). A monitoring viewer who marked an alert a false positive
/// proposes a context phrase from it; the page shows how many of the school's past alerts it would have silenced; a
/// second person holding the DSL, deputy DSL or headteacher role approves or rejects it; an approved one applies to the
/// school's scans (<see cref="SchoolExceptionLibrary"/>) until withdrawn. Every step is audited.
/// </summary>
public sealed class MonitoringExceptions(BrightlineDbContext db, PortalScope scope, AlertQueue queue, PolicyStore policies, AuditLog audit, TimeProvider time)
{
    /// <summary>An exception names the harmless context around a hit, so it must be at least this many words.</summary>
    public const int MinWords = 3;

    public const int MaxLength = 200;

    /// <summary>Past alerts re-scanned for the silenced count, newest first (bounded so the page answers at once).</summary>
    public const int MaxScanned = 5000;

    private const int ExampleCount = 5;

    /// <summary>Who may review and withdraw: the policy's safeguarding leads (the roles the DSL's queue is built for).</summary>
    public static readonly IReadOnlyList<string> ReviewerRoles = [PortalRoles.Dsl, PortalRoles.DeputyDsl, PortalRoles.Head];

    /// <summary>Whether the signed-in user may review (approve, reject) and withdraw exceptions.</summary>
    public async Task<bool> CanReviewAsync(CancellationToken cancellationToken) =>
        scope.HasAnyRole(ReviewerRoles) && await queue.CanViewEverythingAsync(cancellationToken);

    /// <summary>
    /// The words around the alert's highlighted text, as a first suggestion: the highlighted words and up to two words
    /// either side on the same line.
    /// </summary>
    public static string Suggest(MonitoringAlert alert)
    {
        var text = alert.Context ?? "";
        var start = Math.Clamp(alert.HighlightStart, 0, text.Length);
        var end = Math.Clamp(start + alert.HighlightLength, start, text.Length);
        var from = WordsBack(text, start, 2);
        var to = WordsForward(text, end, 2);
        return string.Join(' ', text[from..to].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    private static int WordsBack(string text, int at, int words)
    {
        while (at > 0 && !char.IsWhiteSpace(text[at - 1]))
        {
            at--; // the rest of a word the hit starts inside
        }

        for (var w = 0; w < words; w++)
        {
            var i = at;
            while (i > 0 && char.IsWhiteSpace(text[i - 1]) && !IsLineBreak(text[i - 1]))
            {
                i--;
            }

            if (i == 0 || IsLineBreak(text[i - 1]))
            {
                break;
            }

            while (i > 0 && !char.IsWhiteSpace(text[i - 1]))
            {
                i--;
            }

            at = i;
        }

        return at;
    }

    private static int WordsForward(string text, int at, int words)
    {
        while (at < text.Length && !char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        for (var w = 0; w < words; w++)
        {
            var i = at;
            while (i < text.Length && char.IsWhiteSpace(text[i]) && !IsLineBreak(text[i]))
            {
                i++;
            }

            if (i == text.Length || IsLineBreak(text[i]))
            {
                break;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            at = i;
        }

        return at;
    }

    /// <summary>The false-positive alert an exception is proposed from (this school, visible to this user).</summary>
    public async Task<MonitoringAlert> SourceAlertAsync(long alertId, CancellationToken cancellationToken)
    {
        await queue.EnsureEverythingViewerAsync(cancellationToken);
        var school = scope.RequiredSchoolId;
        return await db.Set<MonitoringAlert>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == alertId && a.SchoolId == school, cancellationToken)
            ?? throw new NotFoundException("There is no such alert.");
    }

    /// <summary>
    /// What <paramref name="phrase"/> would do as an exception to <paramref name="alert"/>'s category: the reasons it is
    /// refused, and the school's past alerts it would have silenced. Showing those alerts' text is recorded in the audit
    /// log as a view of captured content.
    /// </summary>
    public async Task<ExceptionPreview> PreviewAsync(MonitoringAlert alert, string? phrase, CancellationToken cancellationToken)
    {
        await queue.EnsureEverythingViewerAsync(cancellationToken);
        var preview = await EvaluateAsync(alert.SchoolId, alert.Category, alert, phrase, null, cancellationToken);
        await AuditExamplesAsync(alert.SchoolId, preview, cancellationToken);
        return preview;
    }

    private async Task AuditExamplesAsync(string school, ExceptionPreview preview, CancellationToken cancellationToken)
    {
        if (preview.Examples.Count > 0)
        {
            await audit.AppendAsync(school, scope.UserName, MonitoringAuditActions.CaptureViewed, "monitoring-exception-preview",
                "text of alerts " + string.Join(", ", preview.Examples.Select(e => e.Id.ToString(CultureInfo.InvariantCulture))), scope.ClientAddress, cancellationToken);
        }
    }

    private async Task<ExceptionPreview> EvaluateAsync(string school, string category, MonitoringAlert? source, string? phrase, long? self, CancellationToken cancellationToken)
    {
        phrase = string.Join(' ', (phrase ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var problems = new List<string>();
        if (source is { Outcome: not AlertOutcome.FalsePositive })
        {
            problems.Add("An exception can only be proposed from an alert whose outcome was recorded as a false positive.");
        }

        if (phrase.Length == 0)
        {
            problems.Add("Write the words around the flagged text that make it harmless.");
            return new ExceptionPreview(problems, 0, 0, []);
        }

        if (phrase.Length > MaxLength)
        {
            problems.Add($"Keep the exception to {MaxLength} characters.");
            return new ExceptionPreview(problems, 0, 0, []);
        }

        var words = WordsOf(phrase);
        if (words.Length == 0)
        {
            problems.Add("Write the exception with letters or digits.");
            return new ExceptionPreview(problems, 0, 0, []);
        }

        if (words.Length < MinWords)
        {
            problems.Add($"An exception must be at least {MinWords} words long, so that it describes the harmless context and not just the flagged words.");
        }

        if (source is { Context: { } context })
        {
            var start = Math.Clamp(source.HighlightStart, 0, context.Length);
            var matched = context.Substring(start, Math.Clamp(source.HighlightLength, 0, context.Length - start));
            if (words.Length <= WordsOf(matched).Length)
            {
                problems.Add("Include some of the words around the highlighted text: an exception of the highlighted words alone would hide them everywhere.");
            }
        }

        var normal = string.Join(' ', words);
        var existing = await db.Set<MonitoringException>().AsNoTracking()
            .Where(x => x.SchoolId == school && x.Category == category && (x.State == MonitoringExceptionState.Proposed || x.State == MonitoringExceptionState.Approved) && x.Id != (self ?? 0))
            .Select(x => x.Phrase).ToListAsync(cancellationToken);
        if (existing.Any(e => string.Equals(string.Join(' ', WordsOf(e)), normal, StringComparison.Ordinal)))
        {
            problems.Add("The school already has this exception, proposed or approved.");
        }

        var overlay = SchoolExceptionLibrary.Compile([(self ?? 0, phrase, category)]);
        var lowered = NeverCancelled.LoweredBy(overlay, PhraseMatcher.BuiltIn);
        if (lowered.Count > 0)
        {
            problems.Add($"This exception would also hide a child asking for help or telling someone about themselves (for example \"{lowered[0]}\"). Exceptions like that are never allowed.");
        }

        var settings = MonitoringSettings.From(await policies.ActiveAsync(school, cancellationToken));
        var past = await db.Set<MonitoringAlert>().AsNoTracking()
            .Where(a => a.SchoolId == school && a.Category == category && a.Context != null)
            .OrderByDescending(a => a.Id).Take(MaxScanned)
            .Select(a => new { a.Id, a.Context, a.HighlightStart, a.HighlightLength, a.LastAt, a.Outcome })
            .ToListAsync(cancellationToken);
        var silenced = past.Where(a =>
        {
            var before = PhraseMatcher.BuiltIn.Scan(a.Context!);
            var after = overlay.Apply(before, a.Context!);
            var was = before.ScoreOf(category);
            var now = after.ScoreOf(category);
            return now < was && now < settings.LowScore;
        }).ToList();
        if (source is not null && source.Context is not null && !silenced.Exists(a => a.Id == source.Id))
        {
            problems.Add($"This exception would not have silenced alert {source.Id} itself: it must contain the highlighted words and the words around them as they were written.");
        }

        var concerns = silenced.Where(a => a.Outcome is AlertOutcome.Escalated or AlertOutcome.Resolved).Select(a => a.Id).ToList();
        if (concerns.Count > 0)
        {
            problems.Add($"This exception would have silenced {(concerns.Count == 1 ? "alert" : "alerts")} {string.Join(", ", concerns.Take(10))}, "
                + "whose outcome was a real concern (escalated or resolved). An exception must never hide a concern like that.");
        }

        var examples = silenced.Take(ExampleCount).Select(a =>
        {
            var text = a.Context!;
            var start = Math.Clamp(a.HighlightStart, 0, text.Length);
            var length = Math.Clamp(a.HighlightLength, 0, text.Length - start);
            return new SilencedAlert(a.Id, a.LastAt, a.Outcome, text[..start], text.Substring(start, length), text[(start + length)..]);
        }).ToList();
        return new ExceptionPreview(problems, silenced.Count, past.Count, examples);
    }

    private static string[] WordsOf(string text) =>
        TextNormaliser.Normalise(text).Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Proposes <paramref name="phrase"/> as an exception to alert <paramref name="alertId"/>'s category. Refused with the preview's reasons.</summary>
    public async Task<long> ProposeAsync(long alertId, string? phrase, CancellationToken cancellationToken)
    {
        var alert = await SourceAlertAsync(alertId, cancellationToken);
        var preview = await EvaluateAsync(alert.SchoolId, alert.Category, alert, phrase, null, cancellationToken);
        if (!preview.Acceptable)
        {
            throw new InvalidException(string.Join(" ", preview.Problems));
        }

        var now = StoredTime.Now(time);
        var exception = new MonitoringException
        {
            SchoolId = alert.SchoolId,
            Phrase = string.Join(' ', phrase!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
            Category = alert.Category,
            State = MonitoringExceptionState.Proposed,
            SourceAlertId = alert.Id,
            MatchedPhrase = alert.Phrase,
            SilencedAtProposal = preview.Silenced,
            ProposedBy = scope.UserName,
            ProposedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(exception);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(alert.SchoolId, scope.UserName, MonitoringAuditActions.ExceptionProposed, Target(exception.Id),
            $"\"{exception.Phrase}\" ({exception.Category}) from alert {alert.Id}; would have silenced {preview.Silenced} past alert(s)", scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return exception.Id;
    }

    /// <summary>
    /// Approves or rejects a proposed exception, with a note. The reviewer must hold the DSL, deputy DSL or headteacher
    /// role and must not be the proposer; an approval checks the exception again against today's alerts.
    /// </summary>
    public async Task ReviewAsync(long id, bool approve, string? note, CancellationToken cancellationToken)
    {
        await EnsureReviewerAsync(cancellationToken);
        var exception = await FindAsync(id, cancellationToken);
        if (exception.State != MonitoringExceptionState.Proposed)
        {
            throw new ConflictException($"This exception has already been {exception.State.Describe().ToLowerInvariant()}.");
        }

        if (string.Equals(exception.ProposedBy, scope.UserName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ForbiddenException("You proposed this exception, so another safeguarding lead must review it.");
        }

        note = RequiredNote(note, approve ? "Say why the exception is safe to approve." : "Say why the exception is rejected.");
        if (approve)
        {
            var preview = await EvaluateAsync(exception.SchoolId, exception.Category, null, exception.Phrase, exception.Id, cancellationToken);
            if (!preview.Acceptable)
            {
                throw new InvalidException("It cannot be approved: " + string.Join(" ", preview.Problems));
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        exception.State = approve ? MonitoringExceptionState.Approved : MonitoringExceptionState.Rejected;
        exception.ReviewedBy = scope.UserName;
        exception.ReviewedAt = StoredTime.Now(time);
        exception.ReviewNote = note;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(exception.SchoolId, scope.UserName, approve ? MonitoringAuditActions.ExceptionApproved : MonitoringAuditActions.ExceptionRejected,
            Target(exception.Id), $"\"{exception.Phrase}\" ({exception.Category}): {note}", scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Withdraws an approved exception (confirmed, with a note): the school's scans flag its context again from the next pass.</summary>
    public async Task WithdrawAsync(long id, string? note, bool confirmed, CancellationToken cancellationToken)
    {
        await EnsureReviewerAsync(cancellationToken);
        var exception = await FindAsync(id, cancellationToken);
        if (exception.State != MonitoringExceptionState.Approved)
        {
            throw new ConflictException("Only an approved exception can be withdrawn.");
        }

        if (!confirmed)
        {
            throw new InvalidException("Tick the box to confirm that text like this should be flagged again.");
        }

        note = RequiredNote(note, "Say why the exception is withdrawn.");
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        exception.State = MonitoringExceptionState.Withdrawn;
        exception.WithdrawnBy = scope.UserName;
        exception.WithdrawnAt = StoredTime.Now(time);
        exception.WithdrawNote = note;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(exception.SchoolId, scope.UserName, MonitoringAuditActions.ExceptionWithdrawn, Target(exception.Id),
            $"\"{exception.Phrase}\" ({exception.Category}): {note}", scope.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>This school's exceptions, newest first, a page at a time; <paramref name="state"/> "all" or a state's word.</summary>
    public async Task<Paged<ExceptionRow>> ListAsync(string? state, int page, CancellationToken cancellationToken)
    {
        await queue.EnsureEverythingViewerAsync(cancellationToken);
        var school = scope.RequiredSchoolId;
        var q = db.Set<MonitoringException>().AsNoTracking().Where(x => x.SchoolId == school);
        if (state is { Length: > 0 } && !string.Equals(state, "all", StringComparison.Ordinal))
        {
            q = MonitoringExceptionStates.Words.TryParse(state, out var wanted) ? q.Where(x => x.State == wanted) : q.Where(x => false);
        }

        var total = await q.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PortalHtml.PageSize - 1) / PortalHtml.PageSize);
        var number = Math.Clamp(page, 1, pages);
        var rows = await q.OrderByDescending(x => x.Id).Skip((number - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        return new Paged<ExceptionRow>(await WithNamesAsync(school, rows, cancellationToken), number, total);
    }

    /// <summary>One of this school's exceptions, with names, and what it would silence today.</summary>
    public async Task<(ExceptionRow Row, ExceptionPreview Today)> DetailAsync(long id, CancellationToken cancellationToken)
    {
        await queue.EnsureEverythingViewerAsync(cancellationToken);
        var exception = await FindAsync(id, cancellationToken);
        var today = await EvaluateAsync(exception.SchoolId, exception.Category, null, exception.Phrase, exception.Id, cancellationToken);
        await AuditExamplesAsync(exception.SchoolId, today, cancellationToken);
        return ((await WithNamesAsync(exception.SchoolId, [exception], cancellationToken))[0], today);
    }

    private async Task<List<ExceptionRow>> WithNamesAsync(string school, IReadOnlyList<MonitoringException> rows, CancellationToken cancellationToken)
    {
        // Accounts are named by their email address; the school's people list says whose it is.
        var accounts = rows.SelectMany(r => new[] { r.ProposedBy, r.ReviewedBy, r.WithdrawnBy }).OfType<string>()
            .SelectMany(a => new[] { a, a.ToLowerInvariant() }).Distinct(StringComparer.Ordinal).ToList();
        var names = (await db.People.AsNoTracking().Where(p => p.SchoolId == school && p.Email != null && accounts.Contains(p.Email))
                .Select(p => new { p.Email, p.GivenName, p.FamilyName }).ToListAsync(cancellationToken))
            .GroupBy(p => p.Email!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().GivenName + " " + g.First().FamilyName, StringComparer.Ordinal);
        string? Name(string? account) => account is null ? null : names.TryGetValue(account.ToLowerInvariant(), out var n) ? n : account;
        return [.. rows.Select(r => new ExceptionRow(r, Name(r.ProposedBy)!, Name(r.ReviewedBy), Name(r.WithdrawnBy)))];
    }

    private async Task<MonitoringException> FindAsync(long id, CancellationToken cancellationToken)
    {
        var school = scope.RequiredSchoolId;
        return await db.Set<MonitoringException>().FirstOrDefaultAsync(x => x.Id == id && x.SchoolId == school, cancellationToken)
            ?? throw new NotFoundException("There is no such exception.");
    }

    private async Task EnsureReviewerAsync(CancellationToken cancellationToken)
    {
        if (!await CanReviewAsync(cancellationToken))
        {
            throw new ForbiddenException("Only the DSL, a deputy DSL or the headteacher may review or withdraw the school's monitoring exceptions.");
        }
    }

    private static string RequiredNote(string? note, string missing)
    {
        note = note?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            throw new InvalidException(missing);
        }

        return note.Length > 4000 ? throw new InvalidException("Keep the note to 4,000 characters.") : note;
    }

    private static string Target(long id) => "monitoring-exception:" + id.ToString(CultureInfo.InvariantCulture);
}
