using System.Globalization;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Audit;

/// <summary>
/// The append-only, hash-chained audit log. Each entry's hash covers the previous entry's hash and its
/// own fields, so altering or deleting any entry breaks the chain from that point on. Appends are
/// serialised (in-process, and with an advisory lock on PostgreSQL; on SQLite the write transaction
/// already admits one writer) so two writers cannot both chain onto the same tail.
/// </summary>
public sealed class AuditLog(BrightlineDbContext db, TimeProvider time)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly SemaphoreSlim s_appendLock = new(1, 1);

    public async Task<AuditEntry> AppendAsync(
        string? schoolId, string actor, string action, string? subject = null, string? detail = null,
        string? clientAddress = null, CancellationToken cancellationToken = default)
    {
        // Join the caller's transaction when there is one, so an action and its audit entry commit together.
        // The transaction always comes before the append lock: a caller appends while holding its own
        // transaction (on SQLite, the write gate), so taking the lock first here would be the opposite order,
        // and two appends could each hold what the other waits for (the cause of 30-second "database is locked").
        await using var ownTx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await s_appendLock.WaitAsync(cancellationToken);
        try
        {
            if (db.Database.IsNpgsql())
            {
                // Several filter/portal nodes may share one PostgreSQL database: serialise appends there too.
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7243001)", cancellationToken);
            }

            var previous = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Id)
                .Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken) ?? GenesisHash;
            var entry = new AuditEntry
            {
                SchoolId = schoolId,
                // Cut to the millisecond before it is hashed, so the hash survives the database round trip.
                At = StoredTime.Now(time),
                Actor = actor,
                Action = action,
                Subject = subject,
                Detail = detail,
                ClientAddress = clientAddress,
                PreviousHash = previous,
                Hash = "",
            };
            entry.Hash = ComputeHash(entry);
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            if (ownTx is not null)
            {
                await ownTx.CommitAsync(cancellationToken);
            }

            return entry;
        }
        finally
        {
            s_appendLock.Release();
        }
    }

    /// <summary>SHA-256 over the previous hash and every field, with lengths so no two entries can collide by shifting text.</summary>
    public static string ComputeHash(AuditEntry entry)
    {
        var sb = new StringBuilder();
        void Field(string? value)
        {
            value ??= "\u0000";
            sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
        }

        Field(entry.PreviousHash);
        Field(entry.SchoolId);
        Field(entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture));
        Field(entry.Actor);
        Field(entry.Action);
        Field(entry.Subject);
        Field(entry.Detail);
        Field(entry.ClientAddress);
        return AgreementText.Sha256Hex(sb.ToString());
    }
}
