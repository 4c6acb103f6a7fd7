using System.Security.Cryptography;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.Devices;

/// <summary>
/// Check, then apply, the Devices → Import page's files, as People → Import does (<see cref="ImportStaging"/>): the
/// checked file is kept in a <see cref="StagedImport"/> row of kind <c>devices</c>, never in process memory, bounded by
/// the people import's size and lifetime settings and purged by the same worker. "Apply" finds the row only by its
/// random id within the caller's school and account, imports exactly the checked bytes, and claims the row so a file is
/// applied at most once.
/// </summary>
public sealed class DeviceImportStaging(BrightlineDbContext db, DeviceImporter importer, IOptions<PeopleOptions> options, TimeProvider time)
{
    public const string Kind = "devices";

    public int MaxBytes => options.Value.MaxImportBytes;

    public async Task<(string Id, DeviceImportReport Report, DateTimeOffset ExpiresAt)> CheckAsync(
        string schoolId, string userId, string actor, Stream upload, CancellationToken cancellationToken)
    {
        var bytes = await ImportStaging.ReadBoundedAsync(upload, options.Value.MaxImportBytes, cancellationToken);
        var report = await importer.ImportAsync(schoolId, new MemoryStream(bytes, writable: false), dryRun: true, actor, cancellationToken);
        var now = StoredTime.Now(time);
        var staged = new StagedImport
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), SchoolId = schoolId, StagedByUserId = userId, StagedBy = actor, Kind = Kind,
            FullImport = false, Content = bytes, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), SizeBytes = bytes.Length,
            Summary = $"{report.Added} to add, {report.Updated} to update, {report.Errors.Count} errors", CreatedAt = now,
            ExpiresAt = now + TimeSpan.FromMinutes(options.Value.StagedImportMinutes),
        };
        db.StagedImports.Add(staged);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (staged.Id, report, staged.ExpiresAt);
    }

    public async Task<DeviceImportReport> ApplyAsync(string schoolId, string userId, string actor, string? id, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var staged = id is { Length: 32 }
            ? await db.StagedImports.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.SchoolId == schoolId && s.StagedByUserId == userId && s.Kind == Kind, cancellationToken)
            : null;
        if (staged is null)
        {
            throw new NotFoundException("That checked file is not available (it was applied, replaced or has expired). Check the file again.");
        }

        if (staged.AppliedAt is { } at)
        {
            throw new ConflictException($"This file was already applied on {UkFormat.DateTime(at)}.", "Already applied");
        }

        if (staged.ExpiresAt <= now)
        {
            throw new GoneException($"The checked file expired at {UkFormat.DateTime(staged.ExpiresAt)}. Check the file again.", "Check the file again");
        }

        var claimed = await db.StagedImports.Where(s => s.Id == staged.Id && s.AppliedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.AppliedAt, now).SetProperty(s => s.AppliedBy, actor), cancellationToken);
        if (claimed == 0)
        {
            throw new ConflictException("This file was just applied by another request.", "Already applied");
        }

        var report = await importer.ImportAsync(schoolId, new MemoryStream(staged.Content, writable: false), dryRun: false, actor, cancellationToken);
        await db.StagedImports.Where(s => s.Id == staged.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Content, Array.Empty<byte>()), cancellationToken);
        return report;
    }
}
