using Brightline.Filtering;
using Brightline.Policy.Model;

namespace Brightline.WebFiltering;

/// <summary>
/// The approved exemptions (O3, W4) that relax the filter for one person now. Declared here and implemented by the
/// Approvals module, because Approvals already uses the filter (unblock decisions) and the dependency must run one way.
/// </summary>
public interface IFilterExemptions
{
    Task<IReadOnlyList<FilterExemption>> ForPersonAsync(SchoolPolicy policy, string schoolId, Guid personId, DateTimeOffset now, CancellationToken cancellationToken);
}
