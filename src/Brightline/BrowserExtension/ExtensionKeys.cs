using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.BrowserExtension;

/// <summary>
/// A school's enrolment keys for the browser extension: created (which retires the school's previous key, so
/// there is one key in force at a time) and revoked by a device manager on the Devices page, audited. Revoking a
/// key also revokes every token enrolled with it: a leaked key is dealt with in one step.
/// </summary>
public sealed class ExtensionKeys(BrightlineDbContext db, AuditLog audit, ExtensionTokenCache tokens, TimeProvider time)
{
    public const string KeyPrefix = "blk_";
    public const string TokenPrefix = "blx_";


    /// <summary>Creates the school's enrolment key; a key already in force is revoked with its tokens (a rotation).</summary>
    public async Task<IssuedEnrolmentKey> CreateAsync(string schoolId, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var key = SecretTokens.New(KeyPrefix);
        var now = StoredTime.Now(time);
        var record = new ExtensionEnrolmentKey
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            KeyHash = SecretTokens.Hash(key),
            KeyPrefix = key[..10],
            CreatedAt = now,
            CreatedBy = actor,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.Set<ExtensionEnrolmentKey>().Where(k => k.SchoolId == schoolId && k.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var old in current)
        {
            await RevokeInTransactionAsync(old, actor, clientAddress, "rotated", cancellationToken);
        }

        db.Set<ExtensionEnrolmentKey>().Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, BrowserExtensionAuditActions.KeyCreated, $"extension-key:{record.Id}", record.KeyPrefix, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        tokens.ForgetAll();
        return new IssuedEnrolmentKey(record, key);
    }

    public async Task RevokeAsync(string schoolId, Guid keyId, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var key = await db.Set<ExtensionEnrolmentKey>().FirstOrDefaultAsync(k => k.Id == keyId && k.SchoolId == schoolId, cancellationToken)
            ?? throw new NotFoundException("There is no such enrolment key at this school.");
        if (key.RevokedAt is not null)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await RevokeInTransactionAsync(key, actor, clientAddress, "revoked", cancellationToken);
        await tx.CommitAsync(cancellationToken);
        tokens.ForgetAll();
    }

    /// <summary>Revokes one enrolled browser's token (a lost device, a shared device's account that should no longer be there).</summary>
    public async Task RevokeTokenAsync(string schoolId, Guid tokenId, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var token = await db.Set<ExtensionToken>().FirstOrDefaultAsync(t => t.Id == tokenId && t.SchoolId == schoolId, cancellationToken)
            ?? throw new NotFoundException("There is no such enrolled browser at this school.");
        if (token.RevokedAt is not null)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        token.RevokedAt = StoredTime.Now(time);
        token.RevokedBy = actor;
        await RevokeMonitoringDevicesAsync([token.Id], token.RevokedAt.Value, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, BrowserExtensionAuditActions.TokenRevoked, $"extension-token:{token.Id}", token.DeviceName, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        tokens.Forget(token.Id);
    }

    /// <summary>An enrolled browser's capture stops with it: its monitoring device (same ID) is revoked too.</summary>
    private async Task RevokeMonitoringDevicesAsync(IReadOnlyList<Guid> ids, DateTimeOffset now, string actor, CancellationToken cancellationToken)
    {
        var devices = await db.Set<MonitoringDevice>().Where(d => ids.Contains(d.Id) && d.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var device in devices)
        {
            device.RevokedAt = now;
            device.RevokedBy = actor;
        }
    }

    private async Task RevokeInTransactionAsync(ExtensionEnrolmentKey key, string actor, string? clientAddress, string why, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        key.RevokedAt = now;
        key.RevokedBy = actor;
        var tokens = await db.Set<ExtensionToken>().Where(t => t.KeyId == key.Id && t.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            token.RevokedAt = now;
            token.RevokedBy = actor;
        }

        await RevokeMonitoringDevicesAsync([.. tokens.Select(t => t.Id)], now, actor, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(key.SchoolId, actor, BrowserExtensionAuditActions.KeyRevoked, $"extension-key:{key.Id}",
            $"{key.KeyPrefix} {why}; {tokens.Count} enrolled browser(s) signed out", clientAddress, cancellationToken);
    }
}
