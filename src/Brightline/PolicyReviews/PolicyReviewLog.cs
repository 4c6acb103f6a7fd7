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

namespace Brightline.PolicyReviews;

/// <summary>
/// The review cycle (W12, O23, C22): the record of each review and approval with its date and minute reference, and the
/// reminders to the policy's owner ahead of the next review. The policy file names the owner, the approver and the
/// next review date; a recorded review may agree a later next review, which counts from then on (the file should then
/// be updated, and <c>policy check</c> says so until it is).
/// </summary>
public sealed class PolicyReviewLog(BrightlineDbContext db, PolicyStore policies, AuditLog audit, EmailSender email, PortalLinks links, TimeProvider time)
{
    public const string AuditRecorded = "policy-review-recorded";
    public const string EmailPurpose = "policy-review-reminder";
    public const string WeaknessEmailPurpose = "policy-weakness-reported";

    /// <summary>Days before the next review when the owner is reminded (the weekly reminder then runs while it is late).</summary>
    public static readonly IReadOnlyList<int> ReminderDays = [PolicyAdvisories.ReviewSoonDays, 7];

    public async Task<PolicyReviewStatus> StatusAsync(string schoolId, CancellationToken cancellationToken)
    {
        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var last = await db.Set<PolicyReviewRecord>().AsNoTracking().Where(r => r.SchoolId == schoolId && r.Kind != PolicyReviewKinds.Weakness)
            .OrderByDescending(r => r.On).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var agreed = await db.Set<PolicyReviewRecord>().AsNoTracking().Where(r => r.SchoolId == schoolId && r.NextReview != null)
            .MaxAsync(r => r.NextReview, cancellationToken);
        var next = agreed is { } a && a > policy.Policy.NextReview ? a : policy.Policy.NextReview;
        return new PolicyReviewStatus(policy.Policy, next, next.DayNumber - SchoolClock.Today(time).DayNumber, last);
    }

    /// <summary>Every review and approval recorded at the school, newest meeting first (a school records a few a year).</summary>
    public async Task<IReadOnlyList<PolicyReviewRecord>> ListAsync(string schoolId, CancellationToken cancellationToken) =>
        await db.Set<PolicyReviewRecord>().AsNoTracking().Where(r => r.SchoolId == schoolId)
            .OrderByDescending(r => r.On).ThenByDescending(r => r.Id).Take(500).ToListAsync(cancellationToken);

    /// <summary>Records a review or approval of the active policy, with its audit entry in the same transaction.</summary>
    public async Task<PolicyReviewRecord> RecordAsync(string schoolId, NewPolicyReview input, string actor, CancellationToken cancellationToken)
    {
        var kind = input.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !PolicyReviewKinds.All.Contains(kind))
        {
            throw new InvalidException("Choose whether the policy was reviewed or approved, or a weakness is being reported.", "What was recorded?") { Field = "kind" };
        }

        var weakness = kind == PolicyReviewKinds.Weakness;

        var today = SchoolClock.Today(time);
        if (input.On is not { } on)
        {
            throw new InvalidException(weakness ? "Give the date the weakness was found." : "Give the date of the meeting or decision.", "Date missing") { Field = "on" };
        }

        if (on > today)
        {
            throw new InvalidException($"The date ({UkFormat.Short(on)}) is in the future; record a review once it has happened.", "Date in the future") { Field = "on" };
        }

        // W10: a weakness is reported by whoever records it unless they name the person who found it.
        var by = string.IsNullOrWhiteSpace(input.By) && weakness ? actor : input.By?.Trim();
        if (string.IsNullOrEmpty(by) || by.Length > 256)
        {
            throw new InvalidException("Say who reviewed or approved the policy, as the minutes name them (at most 256 characters), for example \"Full Governing Body\".", "Who?") { Field = "by" };
        }

        var minute = string.IsNullOrWhiteSpace(input.MinuteReference) ? null : input.MinuteReference.Trim();
        if (minute is { Length: > 256 })
        {
            throw new InvalidException("The minute reference is longer than 256 characters.", "Minute reference too long") { Field = "minuteReference" };
        }

        if (weakness && input.NextReview is not null)
        {
            throw new InvalidException("A weakness report does not agree a next review: leave \"Next review agreed\" empty, and record the review when it happens.", "No next review for a weakness") { Field = "nextReview" };
        }

        if (input.NextReview is { } next && next <= on)
        {
            throw new InvalidException($"The next review ({UkFormat.Short(next)}) must be after the meeting ({UkFormat.Short(on)}).", "Next review too early") { Field = "nextReview" };
        }

        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (weakness && note is null)
        {
            throw new InvalidException("Describe the weakness (and, if you can, what would improve it) in the note.", "What is the weakness?") { Field = "note" };
        }

        if (note is { Length: > 4000 })
        {
            throw new InvalidException("The note is longer than 4,000 characters.", "Note too long") { Field = "note" };
        }

        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        var record = new PolicyReviewRecord
        {
            SchoolId = schoolId,
            PolicyVersion = active.Policy.Policy.Version,
            Kind = kind,
            On = on,
            By = by,
            MinuteReference = minute,
            NextReview = input.NextReview,
            Note = note,
            RecordedAt = StoredTime.Now(time),
            RecordedBy = actor,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, AuditRecorded, $"policy {record.PolicyVersion}",
            $"{PolicyReviewKinds.Label(kind)} on {UkFormat.Short(on)} by {by}" + (minute is null ? "" : $", minute {minute}")
            + (input.NextReview is { } n ? $"; next review {UkFormat.Short(n)}" : ""), cancellationToken: cancellationToken);
        if (weakness)
        {
            await TellOfWeaknessAsync(active.Policy, record, actor, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// The weaknesses reported since the last review or approval (W10): what the next review has to consider, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<PolicyReviewRecord>> OpenWeaknessesAsync(string schoolId, CancellationToken cancellationToken)
    {
        var lastReview = await db.Set<PolicyReviewRecord>().AsNoTracking().Where(r => r.SchoolId == schoolId && r.Kind != PolicyReviewKinds.Weakness)
            .MaxAsync(r => (DateOnly?)r.On, cancellationToken) ?? DateOnly.MinValue;
        return await db.Set<PolicyReviewRecord>().AsNoTracking()
            .Where(r => r.SchoolId == schoolId && r.Kind == PolicyReviewKinds.Weakness && r.On >= lastReview)
            .OrderBy(r => r.On).ThenBy(r => r.Id).Take(500).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// W10: the policy's owner and the head are told a weakness was reported (a link only: the report stays in the
    /// portal), in the same transaction as the record; the reporter is not emailed about their own report.
    /// </summary>
    private async Task TellOfWeaknessAsync(SchoolPolicy policy, PolicyReviewRecord record, string actor, CancellationToken cancellationToken)
    {
        var schoolId = record.SchoolId;
        var school = policy.School.Name;
        var subject = $"{school}: a weakness in how the ICT acceptable-use policy is working was reported";
        var body = $"""
            {school} — "{policy.Policy.Title}"

            {record.By} reported a weakness on {UkFormat.Long(record.On)} for the next review of the policy.
            Read it, with every weakness reported since the last review, here:
            {links.BaseUrl()}/policy/review

            Sent by Brightline for {school}.
            """;
        foreach (var (to, personId) in await ReviewersAsync(policy, schoolId, cancellationToken))
        {
            if (!string.Equals(to, actor, StringComparison.OrdinalIgnoreCase))
            {
                email.Enqueue(schoolId, to, subject, body, WeaknessEmailPurpose, personId);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Runs every school's reminder check; returns how many reminders were sent.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var school in await db.Schools.AsNoTracking().Select(s => s.Id).ToListAsync(cancellationToken))
        {
            sent += await RemindSchoolAsync(school, cancellationToken) ? 1 : 0;
        }

        return sent;
    }

    /// <summary>
    /// Sends the reminder the school is due, if any: 30 days and 7 days before the next review, on the day, then once a
    /// week (keyed on the Monday) while it is late. The reminder row and the emails commit together; the unique key on
    /// (school, date, stage) means a second pass or node finds it sent.
    /// </summary>
    public async Task<bool> RemindSchoolAsync(string schoolId, CancellationToken cancellationToken)
    {
        PolicyReviewStatus status;
        try
        {
            status = await StatusAsync(schoolId, cancellationToken);
        }
        catch (DomainException)
        {
            return false; // no active policy: nothing to review yet
        }

        var today = SchoolClock.Today(time);
        var stage = StageFor(status.DaysToGo, today);
        if (stage is null
            || await db.Set<PolicyReviewReminder>().AnyAsync(r => r.SchoolId == schoolId && r.NextReview == status.NextReview && r.Stage == stage, cancellationToken))
        {
            return false;
        }

        var policy = await policies.ActiveAsync(schoolId, cancellationToken);
        var recipients = await ReviewersAsync(policy, schoolId, cancellationToken);
        var weaknesses = (await OpenWeaknessesAsync(schoolId, cancellationToken)).Count;
        var school = policy.School.Name;
        var when = UkFormat.Long(status.NextReview);
        var subject = status.Overdue
            ? $"{school}: the ICT acceptable-use policy's review is overdue (due {UkFormat.Short(status.NextReview)})"
            : $"{school}: the ICT acceptable-use policy is due for review on {UkFormat.Short(status.NextReview)}";
        var body = $"""
            {school} — the review of "{policy.Policy.Title}" (version {policy.Policy.Version})

            {(status.Overdue ? $"The review was due on {when}, {-status.DaysToGo} day(s) ago." : status.DaysToGo == 0 ? "The review is due today." : $"The review is due on {when}, in {status.DaysToGo} day(s).")}
            The policy says it is owned by {OwnerName(policy)} and approved by {policy.Policy.Approver}, every {policy.Policy.ReviewEveryMonths} months.
            {(weaknesses == 0 ? "No weakness has been reported since the last review." : $"{UkFormat.Plural(weaknesses, "weakness has", "weaknesses have")} been reported since the last review (W10); they are listed on the review page.")}

            When it has been reviewed and approved, record the date and the minute reference here:
            {links.BaseUrl()}/policy/review
            and set the new 'next_review' in the policy file.

            Sent by Brightline for {school}.
            """;
        foreach (var (to, personId) in recipients)
        {
            email.Enqueue(schoolId, to, subject, body, EmailPurpose, personId);
        }

        db.Add(new PolicyReviewReminder { SchoolId = schoolId, NextReview = status.NextReview, Stage = stage, SentAt = StoredTime.Now(time), Recipients = recipients.Count });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node sent this reminder between our check and our insert; its emails stand, ours are dropped.
            db.ChangeTracker.Clear();
            return false;
        }

        return true;
    }

    /// <summary>The owner (W12: the Head; C22: the Computing Lead) and always the head, who answers to the governors (O23).</summary>
    private async Task<List<(string Email, Guid? PersonId)>> ReviewersAsync(SchoolPolicy policy, string schoolId, CancellationToken cancellationToken)
    {
        var recipients = new List<(string Email, Guid? PersonId)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in new[] { policy.Policy.Owner, RoleKeys.Head }.Where(r => RoleKeys.All.Contains(r)).Distinct(StringComparer.Ordinal))
        {
            foreach (var holder in await RoleHolders.EmailsAsync(db, policies, schoolId, role, cancellationToken))
            {
                if (seen.Add(holder.Email))
                {
                    recipients.Add(holder);
                }
            }
        }

        return recipients;
    }

    /// <summary>The reminder stage for a review <paramref name="daysToGo"/> days away, or null when none is due.</summary>
    public static string? StageFor(int daysToGo, DateOnly today) => daysToGo switch
    {
        < 0 => "overdue-" + today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        0 => "due",
        <= 7 => "7-days",
        <= PolicyAdvisories.ReviewSoonDays => "30-days",
        _ => null,
    };

    private static string OwnerName(SchoolPolicy policy) =>
        policy.Roles.All().Where(h => h.Role == policy.Policy.Owner).Select(h => $"{h.Holder.Name} ({h.Holder.Title ?? h.Role.Replace('_', ' ')})").FirstOrDefault()
        ?? policy.Policy.Owner.Replace('_', ' ');
}
