using System.Globalization;
using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policy;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Audit;

public static class AuditVerifier
{
    /// <summary>
    /// Walks the chain in ID order. An altered entry fails its own hash; a removed entry breaks the next
    /// entry's link to its predecessor (and a gap in IDs is reported too).
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(BrightlineDbContext db, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var previousHash = AuditLog.GenesisHash;
        long? previousId = null;
        long count = 0;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                problems.Add(previousId is null
                    ? $"entry {entry.Id}: the first entry does not start the chain — earlier entries were removed"
                    : $"entry {entry.Id}: does not follow entry {previousId} — an entry between them was removed or altered");
            }
            else if (previousId is not null && entry.Id != previousId + 1)
            {
                problems.Add($"entry {entry.Id}: entries {previousId + 1}–{entry.Id - 1} are missing");
            }

            if (!string.Equals(AuditLog.ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
            {
                problems.Add($"entry {entry.Id}: its contents were altered after it was written ({entry.Action} by {entry.Actor})");
            }

            previousHash = entry.Hash;
            previousId = entry.Id;
        }

        return new AuditVerification(count, problems);
    }
}
