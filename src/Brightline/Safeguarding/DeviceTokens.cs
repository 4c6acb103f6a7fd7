using System.Security.Cryptography;
using System.Text;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Safeguarding;

/// <summary>Issues and revokes the per-device bearer tokens agents use on the ingestion API.</summary>
public sealed class DeviceTokens(BrightlineDbContext db, AuditLog audit, TimeProvider time)
{
    public const string Prefix = "bld_";


    public async Task<IssuedDeviceToken> IssueAsync(string schoolId, string name, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            throw new InvalidException("Give the device a name of up to 200 characters.");
        }

        var token = SecretTokens.New(Prefix);
        var device = new MonitoringDevice
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            Name = name,
            TokenHash = SecretTokens.Hash(token),
            TokenPrefix = token[..10],
            CreatedAt = StoredTime.Now(time),
            CreatedBy = actor,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<MonitoringDevice>().Add(device);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, MonitoringAuditActions.DeviceTokenIssued, $"device:{device.Id}", name, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new IssuedDeviceToken(device, token);
    }

    public async Task RevokeAsync(string schoolId, Guid deviceId, string actor, string? clientAddress, CancellationToken cancellationToken)
    {
        var device = await db.Set<MonitoringDevice>().FirstOrDefaultAsync(d => d.Id == deviceId && d.SchoolId == schoolId, cancellationToken)
            ?? throw new NotFoundException("There is no such device at this school.");
        if (device.RevokedAt is not null)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        device.RevokedAt = StoredTime.Now(time);
        device.RevokedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, MonitoringAuditActions.DeviceTokenRevoked, $"device:{device.Id}", device.Name, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }
}
