namespace Brightline.Portal;

/// <summary>
/// The data of one chart (issue 17, "what schools expect and do not find": charts where people would rather look than
/// read). The numbers are the source: <c>Pages/Shared/_Chart.cshtml</c> draws them as inline SVG (<see cref="ChartSvg"/>)
/// and prints the same numbers as a table under it, which is what a screen reader or a printout uses.
/// </summary>
/// <param name="Id">A page-unique HTML ID stem ("alerts-weekly").</param>
/// <param name="Title">The chart's heading.</param>
/// <param name="Summary">One sentence saying what the chart shows, read out for the drawing (its accessible name).</param>
/// <param name="LabelHeading">The table's first column heading ("Week beginning", "Class").</param>
/// <param name="Labels">The x-axis (columns, line) or row (bars) labels.</param>
/// <param name="Series">The series, stacked in this order; each has one value per label.</param>
/// <param name="Unit">Shown after values in the table and on the axis ("%"), or empty for counts.</param>
public sealed record Chart(
    string Id,
    string Title,
    string Summary,
    ChartKind Kind,
    string LabelHeading,
    IReadOnlyList<string> Labels,
    IReadOnlyList<ChartSeries> Series,
    string Unit = "")
{
    /// <summary>True when there is nothing to draw: the page says so in words instead of an empty frame.</summary>
    public bool IsEmpty => Labels.Count == 0 || Series.All(s => s.Values.All(v => v == 0));

    /// <summary>The total of a label's stacked values (for the table's last column and the bar's length).</summary>
    public double Total(int label) => Series.Sum(s => label < s.Values.Count ? s.Values[label] : 0);

    /// <summary>Whether the table shows a total column: stacked counts of more than one series.</summary>
    public bool ShowsTotal => Kind != ChartKind.Line && Series.Count > 1;

    /// <summary>The most series a chart draws apart; the rest are counted together as "Other" (six patterns stay distinct).</summary>
    public const int MaxSeries = 6;

    /// <summary>
    /// A stacked chart of counted items: each item adds one to its label's value in its series. Labels keep the order
    /// given (time, or a sorted list) and items with a label not in the list are not counted; series are ordered as
    /// <paramref name="seriesOrder"/> gives them (severity), otherwise largest first, and beyond <see cref="MaxSeries"/>
    /// the smallest are folded into "Other".
    /// </summary>
    public static Chart Counted(
        string id, string title, string summary, ChartKind kind, string labelHeading, IReadOnlyList<string> labels,
        IEnumerable<(string Label, string Series)> items, IReadOnlyList<string>? seriesOrder = null)
    {
        var index = labels.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        var counts = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (label, name) in items)
        {
            if (!index.TryGetValue(label, out var at))
            {
                continue;
            }

            if (!counts.TryGetValue(name, out var values))
            {
                counts[name] = values = new double[labels.Count];
            }

            values[at]++;
        }

        var ordered = seriesOrder is null
            ? counts.OrderByDescending(c => c.Value.Sum()).ThenBy(c => c.Key, StringComparer.Ordinal).ToList()
            : counts.OrderBy(c => seriesOrder.ToList().IndexOf(c.Key) is var i && i < 0 ? int.MaxValue : i).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var kept = ordered.Count <= MaxSeries ? ordered : ordered.Take(MaxSeries - 1).ToList();
        var series = kept.Select(c => new ChartSeries(c.Key, c.Value)).ToList();
        if (ordered.Count > MaxSeries)
        {
            var other = new double[labels.Count];
            foreach (var rest in ordered.Skip(MaxSeries - 1))
            {
                for (var i = 0; i < other.Length; i++)
                {
                    other[i] += rest.Value[i];
                }
            }

            series.Add(new ChartSeries("Other", other));
        }

        return new Chart(id, title, summary, kind, labelHeading, labels, series);
    }

    public static string Format(double value, string unit) =>
        (Math.Abs(value - Math.Round(value)) < 0.05 ? Math.Round(value).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))
            : value.ToString("N1", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))) + unit;
}
