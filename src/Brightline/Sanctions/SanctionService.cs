using Brightline.AccessChanges;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>
/// Imposes and lifts sanctions. Every change is audited and published as an access change in the same
/// transaction, so every enforcement point (the DNS filter, in this process or its own) follows within one query
/// here and within the access-change poll elsewhere.
/// </summary>
public sealed class SanctionService(
    BrightlineDbContext db, AuditLog audit, TimeProvider time, IAccessChanges accessChanges, Policies.PolicyStore store, ParentLetters letters)
{
    public async Task<Sanction> ImposeAsync(ImposeSanction request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new InvalidException("Enter the reason for the sanction.");
        }

        if (reason.Length > 2000)
        {
            throw new InvalidException("The reason must be 2,000 characters or fewer.");
        }

        if (request.EndsAt is { } end && end <= now)
        {
            throw new InvalidException("The end must be in the future.");
        }

        if (request.Kind == SanctionKind.ParentMeetingRequired && request.EndsAt is not null)
        {
            throw new InvalidException("A sanction that needs a meeting with parents ends when the meeting is recorded and it is lifted, not on a date.");
        }

        var categories = new List<string>();
        if (request.Kind == SanctionKind.RestrictCategories)
        {
            foreach (var name in request.Categories.Select(c => c.Trim()).Where(c => c.Length > 0))
            {
                if (!Categories.TryParse(name, out var category))
                {
                    throw new InvalidException($"'{name}' is not a filter category.");
                }

                var canonical = Categories.NameOf(category);
                if (!categories.Contains(canonical, StringComparer.Ordinal))
                {
                    categories.Add(canonical);
                }
            }

            if (categories.Count == 0)
            {
                throw new InvalidException("Choose at least one category to restrict.");
            }
        }

        var policy = await PolicyAsync(request.SchoolId, cancellationToken);
        var provided = policy is null ? AllKinds() : ProvidedSanctions.From(policy, SchoolClock.DateOf(now));
        if (!provided.Kinds.Contains(request.Kind))
        {
            throw new InvalidException(
                $"The school's policy does not provide for '{SanctionText.Title(request.Kind)}'. It provides for: {string.Join(", ", provided.Kinds.Select(SanctionText.Title))}.");
        }

        // Issue 15 part 6: the policy's longest length for the kind, measured on the school's calendar from today.
        var use = provided.UseOf(request.Kind);
        if (use.LengthProblem(request.EndsAt) is { } tooLong)
        {
            throw new InvalidException(tooLong);
        }

        var exists = await db.People.AnyAsync(p => p.SchoolId == request.SchoolId && p.Id == request.PersonId, cancellationToken);
        if (!exists)
        {
            throw new NotFoundException($"There is no person {request.PersonId} at school '{request.SchoolId}'.");
        }

        var sanction = new Sanction
        {
            Id = Guid.NewGuid(),
            SchoolId = request.SchoolId,
            PersonId = request.PersonId,
            Kind = request.Kind,
            Categories = categories,
            Reason = reason,
            ReasonKey = request.ReasonKey,
            ImposedBy = request.Actor,
            ImposedAt = StoredTime.Truncate(now),
            StartsAt = StoredTime.Truncate(now),
            EndsAt = request.EndsAt is { } e ? StoredTime.Truncate(e) : null,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<Sanction>().Add(sanction);
        accessChanges.Publish(db, request.SchoolId, request.PersonId, AccessChangeReasons.SanctionImposed);
        await db.SaveChangesAsync(cancellationToken);
        var until = sanction.EndsAt is { } ends ? $" until {UkFormat.ShortDateTime(ends)}" : "";
        var cats = sanction.Categories.Count == 0 ? "" : $" [{string.Join(',', sanction.Categories)}]";
        var rule = provided.RuleFor.TryGetValue(sanction.Kind, out var ruleId) ? $" under rule {ruleId}" : "";
        await audit.AppendAsync(request.SchoolId, request.Actor, SanctionAuditActions.Impose, request.PersonId.ToString(),
            $"{SanctionKinds.NameOf(sanction.Kind)}{cats}{until}{rule}: {reason}", null, cancellationToken);

        // A kind the policy always tells parents about: the letter goes (or its "nothing sent" record is written) in the
        // same transaction as the sanction, so one is never recorded without the other.
        if (policy is not null && use.TellParents == Policy.Model.TellParents.Always)
        {
            await letters.QueueAsync(policy, sanction, request.Actor, automatic: true, cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return sanction;
    }

    private async Task<Policy.Model.SchoolPolicy?> PolicyAsync(string schoolId, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.ActiveVersionAsync(schoolId, cancellationToken)).Policy;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private static ProvidedSanctions AllKinds() => new(Enum.GetValues<SanctionKind>(), new Dictionary<SanctionKind, string>());

    /// <summary>The sanctions the school's active policy provides for (every kind when no policy is loaded).</summary>
    public async Task<ProvidedSanctions> ProvidedAsync(string schoolId, CancellationToken cancellationToken) =>
        await PolicyAsync(schoolId, cancellationToken) is { } policy ? ProvidedSanctions.From(policy, SchoolClock.Today(time)) : AllKinds();

    public async Task<Sanction> RecordMeetingAsync(string schoolId, Guid sanctionId, string? note, string actor, CancellationToken cancellationToken)
    {
        var sanction = await FindAsync(schoolId, sanctionId, cancellationToken);
        if (sanction.Kind != SanctionKind.ParentMeetingRequired)
        {
            throw new InvalidException("Only a sanction that needs a meeting with parents has a meeting to record.");
        }

        if (sanction.MeetingRecordedAt is not null || sanction.LiftedAt is not null)
        {
            throw new ConflictException("The meeting has already been recorded, or the sanction has been lifted.");
        }

        note = note?.Trim();
        if (string.IsNullOrEmpty(note))
        {
            throw new InvalidException("Enter a note of the meeting: when, who attended and what was agreed.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        sanction.MeetingRecordedAt = StoredTime.Now(time);
        sanction.MeetingRecordedBy = actor;
        sanction.MeetingNote = note.Length > 2000 ? note[..2000] : note;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, SanctionAuditActions.Meeting, sanction.PersonId.ToString(), $"sanction {sanction.Id}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return sanction;
    }

    public async Task<Sanction> LiftAsync(string schoolId, Guid sanctionId, string? reason, string actor, CancellationToken cancellationToken)
    {
        var sanction = await FindAsync(schoolId, sanctionId, cancellationToken);
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new InvalidException("Enter the reason for lifting the sanction.");
        }

        if (sanction.LiftedAt is not null)
        {
            throw new ConflictException("This sanction has already been lifted.");
        }

        if (sanction.Kind == SanctionKind.ParentMeetingRequired && sanction.MeetingRecordedAt is null)
        {
            throw new ConflictException("This sanction cannot be lifted until the meeting with parents has been recorded.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        sanction.LiftedAt = StoredTime.Now(time);
        sanction.LiftedBy = actor;
        sanction.LiftReason = reason.Length > 2000 ? reason[..2000] : reason;
        accessChanges.Publish(db, schoolId, sanction.PersonId, AccessChangeReasons.SanctionLifted);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, SanctionAuditActions.Lift, sanction.PersonId.ToString(),
            $"{SanctionKinds.NameOf(sanction.Kind)} sanction {sanction.Id}: {reason}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return sanction;
    }

    /// <summary>Every sanction of a person, newest first (active, ended and lifted).</summary>
    public async Task<List<Sanction>> ForPersonAsync(string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var all = await db.Set<Sanction>().AsNoTracking().Where(s => s.SchoolId == schoolId && s.PersonId == personId).ToListAsync(cancellationToken);
        return all.OrderByDescending(s => s.ImposedAt).ToList();
    }

    public async Task<Sanction> FindAsync(string schoolId, Guid sanctionId, CancellationToken cancellationToken) =>
        await db.Set<Sanction>().FirstOrDefaultAsync(s => s.SchoolId == schoolId && s.Id == sanctionId, cancellationToken)
        ?? throw new NotFoundException("There is no such sanction.");
}
