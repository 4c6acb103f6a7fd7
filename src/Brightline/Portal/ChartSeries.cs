namespace Brightline.Portal;

/// <summary>One named series of a chart: a value for each of the chart's labels, in the same order.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);
