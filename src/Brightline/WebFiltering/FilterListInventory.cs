using System.Globalization;
using System.Runtime.CompilerServices;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>The lists of a compiled filter, for the portal's lists page.</summary>
public sealed record FilterListInventory(IReadOnlyList<FilterListRow> Lists);
