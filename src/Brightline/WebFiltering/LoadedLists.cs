using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>Category lists read from disk, with their sizes and the problems found while reading them.</summary>
public sealed record LoadedLists(CategoryLists Lists, IReadOnlyDictionary<string, int> Sizes, IReadOnlyList<string> Problems);
