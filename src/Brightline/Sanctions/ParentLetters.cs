using System.Globalization;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Sanctions;

/// <summary>
/// "A letter to parents" as a sanction action (issue 15 part 6; C13 "meetings with parents"): the policy's letter,
/// filled in with the school, the child, the sanction and its length (UK dates), emailed through the outbox to each
/// linked parent with an email address, and recorded as a <see cref="SanctionLetter"/> with an audit entry. When no
/// parent can be emailed the record says nothing was sent and why — a letter is never dropped silently.
/// </summary>
public sealed class ParentLetters(BrightlineDbContext db, EmailSender email, AuditLog audit, TimeProvider time, Policies.PolicyStore store)
{
    /// <summary>The email log's purpose for these letters.</summary>
    public const string Purpose = "sanction-letter";

    private static readonly CultureInfo s_uk = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>
    /// Sends the letter for a sanction from the sanction's page (a kind the policy offers or always sends). Refused for
    /// a kind parents are not told about, and when the policy has no letter.
    /// </summary>
    public async Task<SanctionLetter> SendAsync(string schoolId, Guid sanctionId, string actor, CancellationToken cancellationToken)
    {
        var sanction = await db.Set<Sanction>().AsNoTracking().FirstOrDefaultAsync(s => s.SchoolId == schoolId && s.Id == sanctionId, cancellationToken)
            ?? throw new NotFoundException("There is no such sanction.");
        var policy = (await store.ActiveVersionAsync(schoolId, cancellationToken)).Policy;
        var settings = policy.Sanctions.Find(SanctionKinds.NameOf(sanction.Kind));
        if (settings is null || settings.TellParents == TellParents.Never)
        {
            throw new InvalidException($"The school's policy does not tell parents about '{SanctionText.Title(sanction.Kind)}', so no letter is sent.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var letter = await QueueAsync(policy, sanction, actor, automatic: false, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return letter;
    }

    /// <summary>
    /// Queues the letter to every parent of the sanction's child with an email address, records it, saves and audits,
    /// in the caller's transaction (so the sanction, its letter and their audit entries commit together).
    /// </summary>
    internal async Task<SanctionLetter> QueueAsync(SchoolPolicy policy, Sanction sanction, string actor, bool automatic, CancellationToken cancellationToken)
    {
        var child = await db.People.AsNoTracking().FirstAsync(p => p.SchoolId == sanction.SchoolId && p.Id == sanction.PersonId, cancellationToken);
        var parents = await (from l in db.ParentLinks.AsNoTracking()
                             join p in db.People.AsNoTracking() on l.ParentId equals p.Id
                             where l.SchoolId == sanction.SchoolId && l.ChildId == child.Id && p.SchoolId == sanction.SchoolId && p.LeftOn == null
                             select p).ToListAsync(cancellationToken);
        parents = parents.DistinctBy(p => p.Id).OrderBy(p => p.FamilyName, StringComparer.Ordinal).ThenBy(p => p.GivenName, StringComparer.Ordinal).ToList();
        var withEmail = parents.Where(p => !string.IsNullOrWhiteSpace(p.Email)).ToList();
        var withoutEmail = parents.Where(p => string.IsNullOrWhiteSpace(p.Email)).Select(p => p.FullName).ToList();

        var template = policy.Sanctions.LetterToParents;
        var sent = new List<string>();
        string? note = null;
        if (template is null)
        {
            note = "The school's policy has no letter to parents (sanctions.letter_to_parents), so nothing was sent.";
        }
        else if (withEmail.Count == 0)
        {
            note = parents.Count == 0
                ? $"{child.FullName} has no linked parent, so nothing was sent. Tell the parents another way, and add them with the next import."
                : $"No parent of {child.FullName} has an email address ({string.Join(", ", withoutEmail)}), so nothing was sent. Tell the parents another way, and add their email with the next import.";
        }
        else
        {
            var refused = new List<string>();
            foreach (var parent in withEmail)
            {
                var values = Values(policy, child, parent, sanction);
                var subject = ParentLetterTemplate.Fill(template.Subject, values).ReplaceLineEndings(" ").Trim();
                var body = ParentLetterTemplate.Fill(template.Body, values);
                var address = parent.Email!.Trim();
                if (email.Enqueue(sanction.SchoolId, address, subject, body, Purpose, parent.Id))
                {
                    sent.Add($"{parent.FullName} <{address}>");
                }
                else
                {
                    refused.Add(parent.FullName);
                }
            }

            var problems = new List<string>();
            if (refused.Count > 0)
            {
                problems.Add($"email is switched off on this server, so nothing went to {string.Join(", ", refused)}");
            }

            if (withoutEmail.Count > 0)
            {
                problems.Add($"no email address for {string.Join(", ", withoutEmail)}");
            }

            note = problems.Count == 0 ? null : char.ToUpperInvariant(problems[0][0]) + string.Join("; ", problems)[1..] + ".";
        }

        var letter = new SanctionLetter
        {
            SchoolId = sanction.SchoolId,
            SanctionId = sanction.Id,
            PersonId = child.Id,
            At = StoredTime.Now(time),
            By = actor,
            Automatic = automatic,
            Sent = sent.Count > 0,
            Recipients = Clip(string.Join("; ", sent), 2000),
            Note = note is null ? null : Clip(note, 1000),
        };
        db.Set<SanctionLetter>().Add(letter);
        await db.SaveChangesAsync(cancellationToken);
        var outcome = sent.Count > 0 ? $"sent to {sent.Count} parent(s)" : "nothing sent";
        await audit.AppendAsync(sanction.SchoolId, actor, SanctionAuditActions.Letter, sanction.PersonId.ToString(),
            $"{SanctionKinds.NameOf(sanction.Kind)} sanction {sanction.Id}: letter to parents {outcome}{(automatic ? " (automatic, as the policy says)" : "")}{(note is null ? "" : ": " + note)}",
            null, cancellationToken);
        return letter;
    }

    /// <summary>Every letter about the sanctions of a person, newest first.</summary>
    public async Task<List<SanctionLetter>> ForPersonAsync(string schoolId, Guid personId, CancellationToken cancellationToken)
    {
        var all = await db.Set<SanctionLetter>().AsNoTracking().Where(l => l.SchoolId == schoolId && l.PersonId == personId).ToListAsync(cancellationToken);
        return all.OrderByDescending(l => l.At).ThenByDescending(l => l.Id).ToList();
    }

    /// <summary>The values of the letter's placeholders, in UK English with UK dates.</summary>
    internal static Dictionary<string, string> Values(SchoolPolicy policy, Person child, Person parent, Sanction sanction)
    {
        var starts = SchoolClock.DateOf(sanction.StartsAt);
        string ends, length;
        if (sanction.EndsAt is { } end)
        {
            var local = TimeZoneInfo.ConvertTime(end, SchoolClock.Zone);
            var day = local.ToString("dddd dd/MM/yyyy", s_uk);
            ends = local.ToString("dd/MM/yyyy", s_uk);
            length = TimeOnly.FromDateTime(local.DateTime) >= SanctionUse.EndOfDay ? $"until the end of {day}" : $"until {local.ToString("HH:mm", s_uk)} on {day}";
        }
        else if (sanction.Kind == SanctionKind.ParentMeetingRequired)
        {
            ends = "when we have met you";
            length = "until we have met you";
        }
        else
        {
            ends = "when it is lifted";
            length = "until it is lifted";
        }

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["school"] = policy.School.Name,
            ["child"] = child.FullName,
            ["child_first_name"] = child.GivenName,
            ["parent"] = parent.FullName,
            ["sanction"] = SanctionText.Title(sanction.Kind),
            ["length"] = length,
            ["starts"] = SchoolClock.Uk(starts),
            ["ends"] = ends,
            ["reason"] = sanction.Reason,
        };
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
