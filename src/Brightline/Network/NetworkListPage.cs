namespace Brightline.Network;

/// <summary>One page of a Network page list: the rows, how many match in all, this page and how many pages.</summary>
public sealed record NetworkListPage<T>(IReadOnlyList<T> Rows, int Total, int Page, int Pages);
