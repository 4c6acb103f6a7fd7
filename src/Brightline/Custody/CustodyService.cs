using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Custody;

/// <summary>
/// The chain of custody (issue 5, section 4; H14). A device record is written once, with its first step signed
/// by whoever took it; every later movement is a new step signed by the person receiving it — a portal user
/// re-enters their password, an outside receiver (a police officer) types their full name with the recording
/// user as witness. Nothing is updated or deleted, so the whole history is always there; every write is audited.
/// </summary>
public sealed class CustodyService(
    BrightlineDbContext db,
    AuditLog audit,
    TimeProvider time,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn)
{
    public const string AuditRecorded = "custody-recorded";
    public const string AuditStep = "custody-step";
    public const string AuditSignatureRefused = "custody-signature-refused";

    public async Task<CustodyItem> RecordAsync(CustodyActor actor, NewCustodyItem request, CancellationToken cancellationToken)
    {
        var description = Required(request.Description, 300, "Describe the device (make, colour, case) so it can be identified.");
        var reason = Required(request.Reason, 2000, "Say why the device was taken or handed in.");
        var origin = CustodyOrigins.Words.TryParse(request.Origin, out var o) ? o : throw new InvalidException("Say whether the device was taken from someone or handed in.");
        var serial = Optional(request.SerialOrTag, 100, "The serial number or asset tag is too long (100 characters at most).");
        if (request.OwnerPersonId is { } owner && !await db.People.AnyAsync(p => p.SchoolId == actor.SchoolId && p.Id == owner, cancellationToken))
        {
            throw new InvalidException("The owner is not a person at this school.");
        }

        if (request.IncidentId is { } incident && !await db.Set<Incident>().AnyAsync(i => i.SchoolId == actor.SchoolId && i.Id == incident, cancellationToken))
        {
            throw new InvalidException("There is no such incident at this school.");
        }

        // The taker is the first receiver: they sign for it with their own password.
        var taker = await SignAsPortalUserAsync(actor, actor.UserName, request.Password, cancellationToken);
        var now = Now();
        var item = new CustodyItem
        {
            Id = Guid.NewGuid(),
            SchoolId = actor.SchoolId,
            Description = description,
            SerialOrTag = serial,
            OwnerPersonId = request.OwnerPersonId,
            IncidentId = request.IncidentId,
            Origin = origin,
            Reason = reason,
            TakenBy = taker.Name,
            TakenAt = now,
            RecordedBy = actor.UserName,
            RecordedAt = now,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<CustodyItem>().Add(item);
        await db.SaveChangesAsync(cancellationToken);
        db.Set<CustodyStep>().Add(new CustodyStep
        {
            SchoolId = actor.SchoolId,
            ItemId = item.Id,
            Kind = CustodyStepKind.Taken,
            At = now,
            ReceiverName = taker.Name,
            ReceiverUserId = taker.UserId,
            ReceiverRole = taker.Role,
            StoragePlace = Optional(request.StoragePlace, 300, "The storage place is too long (300 characters at most)."),
            Note = Optional(request.Note, 2000, "The note is too long (2,000 characters at most)."),
            Signature = CustodySignature.Password,
            RecordedBy = actor.UserName,
        });
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditRecorded, item.Id.ToString(), $"{origin.Key()}; taken by {taker.Name}", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return item;
    }

    public async Task<CustodyStep> AddStepAsync(CustodyActor actor, Guid itemId, NewCustodyStep request, CancellationToken cancellationToken)
    {
        var view = await FindAsync(actor.SchoolId, itemId, cancellationToken) ?? throw new NotFoundException("There is no such device in the custody register.");
        if (view.IsClosed)
        {
            throw new InvalidException($"This device's chain is closed ({CustodySteps.Status(view.LastKind).ToLowerInvariant()}); nothing more can be added.");
        }

        var kind = CustodyStepKinds.Words.TryParse(request.Kind, out var k) && CustodySteps.Addable.Contains(k) ? k : throw new InvalidException("Choose what happened to the device.");
        var storage = Optional(request.StoragePlace, 300, "The storage place is too long (300 characters at most).");
        var note = Optional(request.Note, 2000, "The note is too long (2,000 characters at most).");
        if (kind == CustodyStepKind.Stored && storage is null)
        {
            throw new InvalidException("Say where the device is stored (for example, the DSL's locked cabinet).");
        }

        if (kind == CustodyStepKind.Disposed && note is null)
        {
            throw new InvalidException("Say how the device was disposed of, in the note.");
        }

        var external = !string.IsNullOrWhiteSpace(request.ExternalName);
        if (kind == CustodyStepKind.External && !external)
        {
            throw new InvalidException("Enter the full name of the person from the outside body who is receiving the device.");
        }

        if (kind is CustodyStepKind.Handover or CustodyStepKind.Stored or CustodyStepKind.Disposed && external)
        {
            throw new InvalidException("This step is signed by a member of staff with their password, not a typed name.");
        }

        var body = Optional(request.ExternalBody, 200, "The outside body's name is too long (200 characters at most).");
        if (kind == CustodyStepKind.External && body is null)
        {
            throw new InvalidException("Enter the outside body (for example, the police force).");
        }

        CustodyStep step;
        if (external)
        {
            // An outside receiver has no portal account: they type their name, and the recording user vouches for it.
            var name = Required(request.ExternalName, 256, "Enter the receiver's full name.");
            var witness = await SignAsPortalUserAsync(actor, actor.UserName, request.WitnessPassword, cancellationToken);
            step = NewStep(actor, itemId, kind, name, null, Optional(request.ExternalRole, 100, "The receiver's role is too long (100 characters at most)."),
                CustodySignature.TypedName, witness.Name);
        }
        else
        {
            var receiver = await SignAsPortalUserAsync(actor, request.ReceiverEmail, request.ReceiverPassword, cancellationToken);
            step = NewStep(actor, itemId, kind, receiver.Name, receiver.UserId, receiver.Role, CustodySignature.Password, null);
        }

        step.ExternalBody = body;
        step.ExternalReference = Optional(request.ExternalReference, 100, "The reference is too long (100 characters at most).");
        step.StoragePlace = storage;
        step.Note = note;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<CustodyStep>().Add(step);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditStep, itemId.ToString(), $"{kind.Key()}: received by {step.ReceiverName} ({step.Signature.Key()})", null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return step;
    }

    public async Task<CustodyView?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken)
    {
        var item = await db.Set<CustodyItem>().AsNoTracking().FirstOrDefaultAsync(i => i.SchoolId == schoolId && i.Id == id, cancellationToken);
        if (item is null)
        {
            return null;
        }

        var steps = await db.Set<CustodyStep>().AsNoTracking().Where(s => s.ItemId == id).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var owner = item.OwnerPersonId is { } o ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == o, cancellationToken) : null;
        var incident = item.IncidentId is { } i ? await db.Set<Incident>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == i, cancellationToken) : null;
        return new CustodyView(item, owner, incident, steps);
    }

    /// <summary>True when <paramref name="userId"/> recorded or received the device (the only devices a non-reader may open).</summary>
    public Task<bool> IsInvolvedAsync(Guid itemId, string userId, string userName, CancellationToken cancellationToken) =>
        db.Set<CustodyStep>().AnyAsync(s => s.ItemId == itemId && (s.ReceiverUserId == userId || s.RecordedBy == userName), cancellationToken);

    /// <summary>The register, newest first: filtered by status (the last step) and by words in the description, tag or reason.</summary>
    public async Task<Paged<CustodyRow>> ListAsync(string schoolId, string? status, string? search, string? onlyUserId, string? onlyUserName, int page, CancellationToken cancellationToken)
    {
        var steps = db.Set<CustodyStep>();
        var query = db.Set<CustodyItem>().AsNoTracking().Where(i => i.SchoolId == schoolId)
            .Select(i => new
            {
                Item = i,
                Last = steps.Where(s => s.ItemId == i.Id).OrderByDescending(s => s.Id).Select(s => new { s.Kind, s.At, s.ReceiverName }).FirstOrDefault(),
            });
        if (onlyUserId is not null)
        {
            query = query.Where(r => steps.Any(s => s.ItemId == r.Item.Id && (s.ReceiverUserId == onlyUserId || s.RecordedBy == onlyUserName)));
        }

        query = status switch
        {
            "held" => query.Where(r => r.Last!.Kind == CustodyStepKind.Taken || r.Last.Kind == CustodyStepKind.Handover || r.Last.Kind == CustodyStepKind.Stored),
            "external" => query.Where(r => r.Last!.Kind == CustodyStepKind.External),
            "returned" => query.Where(r => r.Last!.Kind == CustodyStepKind.Returned),
            "disposed" => query.Where(r => r.Last!.Kind == CustodyStepKind.Disposed),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(search))
        {
            var q = search.Trim().ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER(); the StringComparison overloads do not translate.
            query = query.Where(r => r.Item.Description.ToLower().Contains(q) || r.Item.Reason.ToLower().Contains(q)
                || (r.Item.SerialOrTag != null && r.Item.SerialOrTag.ToLower().Contains(q)));
#pragma warning restore CA1862, CA1311
        }

        page = PortalHtml.ClampPage(page);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.Item.RecordedAt).ThenBy(r => r.Item.Id)
            .Skip((page - 1) * PortalHtml.PageSize).Take(PortalHtml.PageSize).ToListAsync(cancellationToken);
        return new Paged<CustodyRow>(rows.Select(r => new CustodyRow(r.Item, r.Last?.Kind, r.Last?.At, r.Last?.ReceiverName)).ToList(), page, total);
    }

    private sealed record Signer(string UserId, string Name, string? Role);

    /// <summary>
    /// Checks a portal user's password for a signature: the user must hold a staff role at this school. A wrong password
    /// counts towards the account's lockout (so the form cannot be used to guess passwords) and is audited.
    /// </summary>
    private async Task<Signer> SignAsPortalUserAsync(CustodyActor actor, string? emailOrName, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(emailOrName))
        {
            throw new InvalidException("Enter the email address of the member of staff receiving the device.");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidException("The person receiving the device must enter their password to sign for it.");
        }

        var user = await users.FindByNameAsync(emailOrName.Trim()) ?? await users.FindByEmailAsync(emailOrName.Trim());
        var membership = user is null ? null : await db.SchoolMemberships.AsNoTracking()
            .Where(m => m.UserId == user.Id && m.SchoolId == actor.SchoolId).ToListAsync(cancellationToken);
        var role = membership?.Select(m => m.Role).FirstOrDefault(r => PortalRoles.StaffRoles.Contains(r, StringComparer.Ordinal));
        if (user is null || role is null)
        {
            throw new InvalidException("That email address is not a member of staff at this school.");
        }

        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            await audit.AppendAsync(actor.SchoolId, actor.UserName, AuditSignatureRefused, user.UserName, check.IsLockedOut ? "locked out" : "wrong password", null, cancellationToken);
            throw new InvalidException(check.IsLockedOut
                ? "That account is locked after too many wrong passwords; try again later."
                : "The password is not right, so the signature was not accepted. Nothing was recorded.");
        }

        var personName = membership!.Where(m => m.PersonId != null).Select(m => m.PersonId!.Value).FirstOrDefault() is var pid && pid != Guid.Empty
            ? await db.People.AsNoTracking().Where(p => p.Id == pid).Select(p => p.GivenName + " " + p.FamilyName).FirstOrDefaultAsync(cancellationToken)
            : null;
        return new Signer(user.Id, personName ?? user.DisplayName ?? user.UserName ?? user.Email ?? user.Id, role);
    }

    private CustodyStep NewStep(CustodyActor actor, Guid itemId, CustodyStepKind kind, string receiver, string? userId, string? role, CustodySignature signature, string? witness) => new()
    {
        SchoolId = actor.SchoolId,
        ItemId = itemId,
        Kind = kind,
        At = Now(),
        ReceiverName = receiver,
        ReceiverUserId = userId,
        ReceiverRole = role,
        Signature = signature,
        WitnessedBy = witness,
        RecordedBy = actor.UserName,
    };

    private DateTimeOffset Now() => StoredTime.Now(time);

    private static string Required(string? text, int max, string message)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidException(message);
        }

        return text.Length > max ? throw new InvalidException($"That is too long ({max} characters at most).") : text;
    }

    private static string? Optional(string? text, int max, string tooLong)
    {
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length > max ? throw new InvalidException(tooLong) : text;
    }
}
