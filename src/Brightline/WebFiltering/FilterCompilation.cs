using System.Globalization;
using Brightline.Filtering;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;
using FilterOverride = Brightline.Data.Entities.FilterOverride;
using FilterOverrideActions = Brightline.Data.Entities.FilterOverrideActions;
using PolicyDateRange = Brightline.Policy.Model.DateRange;

namespace Brightline.WebFiltering;

/// <summary>What compiling a policy's filtering section produced: the snapshot, and every problem found on the way.</summary>
/// <param name="Snapshot">Lists and one profile per group; refused profiles are left out, so their groups get the fail-closed fallback.</param>
/// <param name="Problems">Each as <c>file:line: message</c> (lists) or <c>policy: message</c> (profiles the engine refused).</param>
/// <param name="ListSizes">Entries accepted per list name.</param>
public sealed record FilterCompilation(FilterSnapshot Snapshot, IReadOnlyList<string> Problems, IReadOnlyDictionary<string, int> ListSizes)
{
    /// <summary>The category lists as loaded, for a later compilation of the same policy version to reuse.</summary>
    public LoadedLists Loaded { get; init; } = new(Snapshot.Lists, ListSizes, []);
}
