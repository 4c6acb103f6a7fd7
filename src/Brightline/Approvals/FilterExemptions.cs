using Brightline.Data;
using Brightline.Filtering;
using Brightline.Policy.Model;
using Brightline.WebFiltering;

namespace Brightline.Approvals;

/// <summary>The filter's view of a person's exemptions in force (<see cref="ApprovalEffects.FilterExemptionsAsync(BrightlineDbContext, SchoolPolicy, string, Guid, DateTimeOffset, CancellationToken)"/>).</summary>
public sealed class FilterExemptions(BrightlineDbContext db) : IFilterExemptions
{
    public Task<IReadOnlyList<FilterExemption>> ForPersonAsync(SchoolPolicy policy, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ApprovalEffects.FilterExemptionsAsync(db, policy, schoolId, personId, now, cancellationToken);
}
