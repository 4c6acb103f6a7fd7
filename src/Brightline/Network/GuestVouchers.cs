using System.Security.Cryptography;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Network;

/// <summary>
/// Guest Wi-Fi vouchers (O22): issued and revoked by the roles the policy's <c>network.guests.issued_by</c> names
/// (default the head), each change audited. A voucher is a generated user name and password made of characters that
/// cannot be misread on a printed card (no 0/o, 1/l/i); the password is kept only as a salted PBKDF2 hash.
/// </summary>
public sealed class GuestVouchers(BrightlineDbContext db, PolicyStore policies, AuditLog audit, TimeProvider time)
{
    /// <summary>Lower-case letters and digits that cannot be confused with each other when read aloud or from print.</summary>
    public const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public const string UserNamePrefix = "guest-";

    /// <summary>The longest a voucher may last: a visit, not a term (a longer need is an account, O14).</summary>
    public static readonly TimeSpan LongestValidity = TimeSpan.FromDays(31);

    private static readonly PasswordHasher<GuestVoucher> s_hasher = new();

    /// <summary>The portal roles that may issue and revoke vouchers at the school (<c>staff</c> stands for every adult role).</summary>
    public async Task<IReadOnlyList<string>> IssuersAsync(string schoolId, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> roles;
        try
        {
            roles = (await policies.ActiveAsync(schoolId, cancellationToken)).Network.Guests.IssuedBy;
        }
        catch (NotFoundException)
        {
            roles = new GuestPolicy().IssuedBy;
        }

        return roles.Contains(PortalRoleKeys.Staff, StringComparer.Ordinal) ? [.. roles, .. PortalRoleKeys.StaffRoles] : roles;
    }

    /// <summary>The school's vouchers, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<GuestVoucher>> ListAsync(string schoolId, int limit, CancellationToken cancellationToken) =>
        await db.Set<GuestVoucher>().AsNoTracking().Where(g => g.SchoolId == schoolId)
            .OrderByDescending(g => g.IssuedAt).ThenBy(g => g.UserName).Take(limit).ToListAsync(cancellationToken);

    public async Task<IssuedVoucher> IssueAsync(IssueVoucher request, CancellationToken cancellationToken)
    {
        var visitor = request.VisitorName.Trim();
        var purpose = request.Purpose.Trim();
        if (visitor.Length is 0 or > 200)
        {
            throw new InvalidException("Enter the visitor's name (at most 200 characters).");
        }

        if (purpose.Length is 0 or > 500)
        {
            throw new InvalidException("Enter the purpose of the visit or the official capacity (at most 500 characters) — O22 allows guest Wi-Fi only for one.");
        }

        if (request.ValidUntil <= request.ValidFrom)
        {
            throw new InvalidException("The voucher must end after it starts.");
        }

        if (request.ValidUntil - request.ValidFrom > LongestValidity)
        {
            throw new InvalidException($"A voucher lasts at most {LongestValidity.TotalDays:0} days; a longer need is an account.");
        }

        if (request.ValidUntil <= time.GetUtcNow())
        {
            throw new InvalidException("The voucher would already have ended; choose an end in the future.");
        }

        var password = Generate(4) + "-" + Generate(4) + "-" + Generate(4);
        var voucher = new GuestVoucher
        {
            Id = Guid.NewGuid(),
            SchoolId = request.SchoolId,
            UserName = "",
            PasswordHash = "",
            VisitorName = visitor,
            Purpose = purpose,
            ValidFrom = StoredTime.Truncate(request.ValidFrom),
            ValidUntil = StoredTime.Truncate(request.ValidUntil),
            IssuedAt = StoredTime.Now(time),
            IssuedBy = request.Actor,
        };
        voucher.PasswordHash = s_hasher.HashPassword(voucher, password);

        // A fresh user name; bounded retries (31^6 names make a clash rare).
        for (var attempt = 0; ; attempt++)
        {
            var name = UserNamePrefix + Generate(6);
            if (!await db.Set<GuestVoucher>().AnyAsync(g => g.SchoolId == request.SchoolId && g.UserName == name, cancellationToken))
            {
                voucher.UserName = name;
                break;
            }

            if (attempt == 20)
            {
                throw new ConflictException("Could not choose a free voucher user name; try again.");
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<GuestVoucher>().Add(voucher);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(request.SchoolId, request.Actor, NetworkAuditActions.VoucherIssued, voucher.UserName,
            $"for {visitor} ({purpose}), {UkFormat.ShortDateTime(voucher.ValidFrom)} to {UkFormat.ShortDateTime(voucher.ValidUntil)}", request.ClientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new IssuedVoucher(voucher, password);
    }

    /// <summary>Withdraws a voucher: the next sign-in with it is refused. Not found unless it is the school's.</summary>
    public async Task<GuestVoucher> RevokeAsync(string schoolId, Guid id, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var voucher = await db.Set<GuestVoucher>().FirstOrDefaultAsync(g => g.SchoolId == schoolId && g.Id == id, cancellationToken)
            ?? throw new NotFoundException("There is no such guest voucher at this school.");
        if (voucher.RevokedAt is not null)
        {
            throw new ConflictException($"The voucher {voucher.UserName} was already withdrawn on {UkFormat.DateTime(voucher.RevokedAt.Value)}.");
        }

        voucher.RevokedAt = StoredTime.Now(time);
        voucher.RevokedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, NetworkAuditActions.VoucherRevoked, voucher.UserName, $"for {voucher.VisitorName}", clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return voucher;
    }

    public bool PasswordMatches(GuestVoucher voucher, string password) =>
        s_hasher.VerifyHashedPassword(voucher, voucher.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>The voucher's status in words, for the list.</summary>
    public static string Status(GuestVoucher voucher, DateTimeOffset now) =>
        voucher.RevokedAt is not null ? "Withdrawn"
        : now < voucher.ValidFrom ? "Not started"
        : now >= voucher.ValidUntil ? "Ended"
        : "Valid";

    private static string Generate(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });
}
