namespace Brightline.Pages.WebFiltering;

/// <summary>One count on the filtering page's devices summary, with the list it counts; <c>Attention</c> marks a count that needs someone.</summary>
public sealed record DeviceCount(string Label, int Count, string Link, bool Attention);
