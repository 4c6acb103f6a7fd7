using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Dns.Logging;

using Brightline.Filtering;

using Brightline.Dns;

namespace Brightline.DnsFiltering;

/// <summary>Writes the DNS server's decision records to <c>dns_decisions</c>, one batch per SaveChanges, off the answer path.</summary>
public sealed class DnsDecisionStore(IServiceScopeFactory scopes) : IDnsDecisionSink
{
    public async ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        foreach (var r in batch)
        {
            db.DnsDecisions.Add(new DnsDecisionEntry
            {
                SchoolId = r.School,
                At = r.Time.ToUniversalTime(),
                ClientAddress = r.ClientAddress.ToString(),
                PersonId = Guid.TryParse(r.Person, out var person) ? person : null,
                Name = Cut(r.QueryName, 1024)!,
                QueryType = Enum.IsDefined(r.QueryType) ? r.QueryType.ToString() : ((ushort)r.QueryType).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Decision = Brightline.Policy.PolicyNames.ToSnake(r.Decision.ToString()),
                Category = Cut(r.Category, 32),
                Profile = Cut(r.Profile, 64),
                Reason = Cut(r.Reason, 300),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
