using System.Security.Cryptography;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.People;

/// <summary>
/// Check, then apply, the People → Import page's files (security issue, item 7). The checked file is kept in
/// <see cref="StagedImport"/> rows, never in process memory, so any portal process on the database can apply
/// it and a restart loses nothing. Bounded three ways: a file over <see cref="PeopleOptions.MaxImportBytes"/>
/// is refused before it is kept; a school keeps at most <see cref="PeopleOptions.MaxStagedImportsPerSchool"/>
/// files waiting (a newer check replaces the oldest, so nobody is ever locked out of importing); and a file
/// not applied within <see cref="PeopleOptions.StagedImportMinutes"/> expires and is purged by
/// <see cref="StagedImportPurgeWorker"/>. "Apply" finds a row only by its random id within the caller's
/// school and account, imports exactly the bytes that were checked (their SHA-256 is compared), and claims the
/// row in the import's own transaction so a file is applied at most once.
/// </summary>
public sealed partial class ImportStaging(
    BrightlineDbContext db, PeopleImporter importer, IOptions<PeopleOptions> options, TimeProvider time, ILogger<ImportStaging> logger)
{
    /// <summary>Checks <paramref name="upload"/> (a dry run) and stages it for <see cref="ApplyAsync"/>.</summary>
    /// <exception cref="ImportTooLargeException">The file is over the limit; nothing was stored.</exception>
    public async Task<StagedCheck> CheckAsync(
        string schoolId, string userId, string actor, ImportKind kind, bool fullImport, Stream upload, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var bytes = await ReadBoundedAsync(upload, limits.MaxImportBytes, cancellationToken);
        var report = await importer.ImportAsync(schoolId, new MemoryStream(bytes, writable: false), kind,
            new ImportOptions(DryRun: true, FullImport: fullImport), actor, cancellationToken);

        var now = StoredTime.Now(time);
        var staged = new StagedImport
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            SchoolId = schoolId,
            StagedByUserId = userId,
            StagedBy = actor,
            Kind = KindName(kind),
            FullImport = fullImport,
            Content = bytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            SizeBytes = bytes.Length,
            Summary = Summarise(report),
            CreatedAt = now,
            ExpiresAt = now + limits.StagedImportLifetime,
        };
        db.StagedImports.Add(staged);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // Waiting files beyond the bound go, oldest first. Two checks at once may each see the other's row; both
        // then delete down to the bound, so the school is over it only for those few milliseconds.
        var replaced = await db.StagedImports.AsNoTracking()
            .Where(s => s.SchoolId == schoolId && s.AppliedAt == null && PeopleKinds.Contains(s.Kind))
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Skip(Math.Max(1, limits.MaxStagedImportsPerSchool))
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        if (replaced.Count > 0)
        {
            await db.StagedImports.Where(s => replaced.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        LogStaged(logger, schoolId, staged.Kind, bytes.Length, replaced.Count);
        return new StagedCheck(staged.Id, report, staged.ExpiresAt);
    }

    /// <summary>
    /// Applies the file staged as <paramref name="id"/> by this account at this school, exactly once, and only if it
    /// marks exactly <paramref name="confirmedLeavers"/> people as leavers (the number the person confirmed; 0 when
    /// the check showed none).
    /// </summary>
    /// <exception cref="NotFoundException">No such file for this account and school (never existed, another school's, replaced or purged).</exception>
    /// <exception cref="ConflictException">Already applied, or the number of leavers is not the one confirmed.</exception>
    /// <exception cref="GoneException">Expired.</exception>
    public async Task<ImportReport> ApplyAsync(string schoolId, string userId, string actor, string? id, int confirmedLeavers, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var staged = id is { Length: 32 }
            ? await db.StagedImports.AsNoTracking()
                .FirstOrDefaultAsync(s => s.Id == id && s.SchoolId == schoolId && s.StagedByUserId == userId && PeopleKinds.Contains(s.Kind), cancellationToken)
            : null;
        if (staged is null)
        {
            throw new NotFoundException(NotAvailable());
        }

        if (staged.AppliedAt is { } appliedAt)
        {
            throw AlreadyApplied(appliedAt);
        }

        if (staged.ExpiresAt <= now)
        {
            throw Expired(staged.ExpiresAt);
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(staged.Content)), staged.Sha256, StringComparison.Ordinal))
        {
            throw new ConflictException("The stored file no longer matches the file that was checked, so it was not applied. Check the file again.", "Check the file again");
        }

        var kind = PeopleModule.ParseKind(staged.Kind) ?? throw new UnknownStoredValueException("staged_imports.Kind", staged.Kind);
        var report = await importer.ImportAsync(schoolId, new MemoryStream(staged.Content, writable: false), kind,
            new ImportOptions(DryRun: false, FullImport: staged.FullImport, ConfirmedLeavers: confirmedLeavers), actor, progress: null,
            claim: async ct =>
            {
                var claimed = await db.StagedImports
                    .Where(s => s.Id == staged.Id && s.AppliedAt == null && s.ExpiresAt > now)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(s => s.AppliedAt, now)
                        .SetProperty(s => s.AppliedBy, actor)
                        .SetProperty(s => s.Content, Array.Empty<byte>()), ct);
                if (claimed == 0)
                {
                    // Another request (here or in another process) applied it first, or the purge removed it.
                    var applied = await db.StagedImports.AsNoTracking().Where(s => s.Id == staged.Id).Select(s => s.AppliedAt).FirstOrDefaultAsync(ct);
                    throw applied is { } at ? AlreadyApplied(at) : new NotFoundException(NotAvailable());
                }
            },
            cancellationToken);
        LogApplied(logger, schoolId, staged.Kind);
        return report;
    }

    /// <summary>Deletes staged files whose time is up; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        // Look before deleting: a pass that finds nothing (the usual case) takes no write lock.
        if (!await db.StagedImports.AnyAsync(s => s.ExpiresAt <= now, cancellationToken))
        {
            return 0;
        }

        var purged = await db.StagedImports.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        LogPurged(logger, purged);
        return purged;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; one more and the upload is refused.</summary>
    /// <exception cref="ImportTooLargeException">The stream is longer than <paramref name="limit"/>.</exception>
    public static async Task<byte[]> ReadBoundedAsync(Stream upload, int limit, CancellationToken cancellationToken)
    {
        if (upload.CanSeek && upload.Length - upload.Position > limit)
        {
            throw new ImportTooLargeException(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await upload.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ImportTooLargeException(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private string NotAvailable() =>
        $"That check is no longer available: a checked file is kept for {Minutes()}, and only for the person who checked it. Nothing was changed. Check the file again.";

    private GoneException Expired(DateTimeOffset at) =>
        new($"That check expired at {UkFormat.ShortDateTime(at)} (a checked file is kept for {Minutes()}). Nothing was changed. Check the file again.",
            "Check the file again");

    private static ConflictException AlreadyApplied(DateTimeOffset at) =>
        new($"This file was already applied at {UkFormat.ShortDateTime(at)}. It was not applied again. To import again, check the file again.",
            "Already applied");

    private string Minutes() => UkFormat.Plural(options.Value.StagedImportMinutes, "minute", "minutes");

    /// <summary>
    /// The staged files this class owns. The device register stages its imports in the same table (kind <c>devices</c>):
    /// a device file's ID posted to the people import is "not found", and device files do not count towards people's bound.
    /// </summary>
    private static readonly string[] PeopleKinds = [PeopleImporter.PupilsSource, PeopleImporter.StaffSource, PeopleImporter.AdultsSource];

    private static string KindName(ImportKind kind) => kind switch
    {
        ImportKind.Pupils => PeopleImporter.PupilsSource,
        ImportKind.Staff => PeopleImporter.StaffSource,
        ImportKind.Adults => PeopleImporter.AdultsSource,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown import kind."),
    };

    /// <summary>Counts only: the row must not repeat the names the file holds.</summary>
    private static string Summarise(ImportReport r) =>
        $"{UkFormat.Plural(r.RowsRead, "row", "rows")} read: {r.Created} new, {r.Updated} updated, {r.Unchanged} unchanged, {r.MarkedLeavers} marked as leavers, "
        + $"{r.ParentsCreated} parents added, {r.LinksCreated} parent links added; {UkFormat.Plural(r.Errors.Count, "row has a problem", "rows have problems")}.";

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Staged a {Kind} import for {School} ({Bytes} bytes); {Replaced} older staged imports replaced")]
    private static partial void LogStaged(ILogger logger, string school, string kind, int bytes, int replaced);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Applied a staged {Kind} import for {School}")]
    private static partial void LogApplied(ILogger logger, string school, string kind);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Purged {Count} expired staged imports")]
    private static partial void LogPurged(ILogger logger, int count);
}
