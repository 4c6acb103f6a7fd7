using System.Globalization;
using Brightline.Filtering;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;
using FilterOverride = Brightline.Data.Entities.FilterOverride;
using FilterOverrideActions = Brightline.Data.Entities.FilterOverrideActions;
using PolicyDateRange = Brightline.Policy.Model.DateRange;

namespace Brightline.WebFiltering;

/// <summary>Category lists read from disk, with their sizes and the problems found while reading them.</summary>
public sealed record LoadedLists(CategoryLists Lists, IReadOnlyDictionary<string, int> Sizes, IReadOnlyList<string> Problems);
