using System.Globalization;
using System.Net;
using System.Text;

namespace Brightline.Portal;

/// <summary>
/// Draws a <see cref="Chart"/> as inline SVG on the server: no script, no library, nothing fetched, so it obeys the
/// portal's content security policy and prints. The drawing is 400 units wide and scales to its box (viewBox), so it
/// fits a 390 px phone with no sideways scrolling and grows on a desktop up to the width the stylesheet allows.
/// Colour is never the only cue (WCAG 1.4.1): each series also has its own fill pattern (bars, columns) or marker shape
/// (lines), the legend shows both, and every colour has at least 3:1 contrast with white (WCAG 1.4.11).
/// The drawing is one image to assistive technology (role="img", named by the chart's summary); the table printed
/// under it is the accessible source of the numbers.
/// </summary>
public static class ChartSvg
{
    private const double Width = 400;
    private const double FontSize = 12;
    private const double CharWidth = 6.6;

    // Dark enough on white for graphics (3:1) and for the white hatching laid over them: blue, red, amber-brown,
    // green, purple, slate.
    private static readonly string[] s_colours = ["#0b5394", "#a4161a", "#7a4a00", "#1d6b35", "#5b3b8c", "#3d4650"];

    private static readonly double[] s_steps = [1, 2, 5, 10];

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Render(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var body = new StringBuilder();
        var legendHeight = Legend(chart, body);
        var plotHeight = chart.Kind switch
        {
            ChartKind.Bars => Bars(chart, body, legendHeight),
            ChartKind.Line => Axes(chart, body, legendHeight, line: true),
            ChartKind.Columns => Axes(chart, body, legendHeight, line: false),
            _ => throw new ArgumentOutOfRangeException(nameof(chart), chart.Kind, "Unknown kind of chart."),
        };
        var height = legendHeight + plotHeight;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(Width)} {N(height)}\" role=\"img\" aria-label=\"{E(chart.Summary)}\" focusable=\"false\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{E(chart.Title)}</title>");
        svg.Append("<defs>");
        for (var i = 0; i < chart.Series.Count; i++)
        {
            svg.Append(Pattern(chart.Id, i));
        }

        svg.Append("</defs>");
        svg.Append(CultureInfo.InvariantCulture, $"<g font-family=\"system-ui, sans-serif\" font-size=\"{N(FontSize)}\" fill=\"#1b1f24\">");
        svg.Append(body);
        svg.Append("</g></svg>");
        return svg.ToString();
    }

    /// <summary>The series' colour and pattern, for the legend swatch and the table's key.</summary>
    public static string Colour(int series) => s_colours[series % s_colours.Length];

    /// <summary>
    /// Each series' fill: its colour with white hatching of its own kind (none, diagonal, dots, cross, horizontal,
    /// vertical), so two series stay apart in greyscale, in print and for people who do not tell the colours apart.
    /// </summary>
    private static string Pattern(string chartId, int series)
    {
        var colour = Colour(series);
        var marks = (series % 6) switch
        {
            0 => "",
            1 => "<path d=\"M-2 2 2 -2 M0 8 8 0 M6 10 10 6\" stroke=\"#fff\" stroke-width=\"1.6\"/>",
            2 => "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#fff\"/>",
            3 => "<path d=\"M0 0 8 8 M8 0 0 8\" stroke=\"#fff\" stroke-width=\"1.2\"/>",
            4 => "<path d=\"M0 4 H8\" stroke=\"#fff\" stroke-width=\"1.6\"/>",
            _ => "<path d=\"M4 0 V8\" stroke=\"#fff\" stroke-width=\"1.6\"/>",
        };
        return $"<pattern id=\"{E(chartId)}-s{series}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"{colour}\"/>{marks}</pattern>";
    }

    private static string Fill(Chart chart, int series) => $"url(#{E(chart.Id)}-s{series})";

    /// <summary>The key, in rows that wrap at the drawing's width; returns its height.</summary>
    private static double Legend(Chart chart, StringBuilder svg)
    {
        if (chart.Series.Count < 2)
        {
            return 8;
        }

        double x = 0, y = 4;
        for (var i = 0; i < chart.Series.Count; i++)
        {
            var name = chart.Series[i].Name;
            var itemWidth = 22 + (name.Length * CharWidth) + 14;
            if (x > 0 && x + itemWidth > Width)
            {
                x = 0;
                y += 20;
            }

            svg.Append(CultureInfo.InvariantCulture, $"<g aria-hidden=\"true\">");
            if (chart.Kind == ChartKind.Line)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(x)}\" y1=\"{N(y + 7)}\" x2=\"{N(x + 16)}\" y2=\"{N(y + 7)}\" stroke=\"{Colour(i)}\" stroke-width=\"2\"/>");
                svg.Append(Marker(i, x + 8, y + 7));
            }
            else
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"16\" height=\"14\" fill=\"{Fill(chart, i)}\" stroke=\"#1b1f24\" stroke-width=\"0.5\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + 22)}\" y=\"{N(y + 11.5)}\">{E(name)}</text></g>");
            x += itemWidth;
        }

        return y + 28;
    }

    /// <summary>Flat stacked bars, each under its label, the total after it; returns the height used.</summary>
    private static double Bars(Chart chart, StringBuilder svg, double top)
    {
        const double rowHeight = 38, barHeight = 16, totalRoom = 48;
        var max = Enumerable.Range(0, chart.Labels.Count).Select(chart.Total).DefaultIfEmpty(0).Max();
        var scale = max <= 0 ? 0 : (Width - totalRoom) / max;
        for (var row = 0; row < chart.Labels.Count; row++)
        {
            var y = top + (row * rowHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{N(y + 12)}\" font-weight=\"600\">{E(Fit(chart.Labels[row], Width))}</text>");
            double x = 0;
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var value = Value(chart.Series[s], row);
                if (value <= 0)
                {
                    continue;
                }

                var w = value * scale;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(y + 17)}\" width=\"{N(w)}\" height=\"{N(barHeight)}\" fill=\"{Fill(chart, s)}\" stroke=\"#fff\" stroke-width=\"1\"/>");
                x += w;
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + 6)}\" y=\"{N(y + 29.5)}\">{E(Chart.Format(chart.Total(row), chart.Unit))}</text>");
        }

        return (chart.Labels.Count * rowHeight) + 4;
    }

    /// <summary>Columns or lines over a value axis with gridlines; returns the height used.</summary>
    private static double Axes(Chart chart, StringBuilder svg, double top, bool line)
    {
        const double left = 40, plotHeight = 170, labelRoom = 24;
        var plotWidth = Width - left - 4;
        var n = Math.Max(1, chart.Labels.Count);
        var dataMax = line
            ? chart.Series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max()
            : Enumerable.Range(0, chart.Labels.Count).Select(chart.Total).DefaultIfEmpty(0).Max();
        var (axisMax, step) = chart.Unit == "%" ? (100.0, 25.0) : Nice(dataMax);
        double Y(double v) => top + plotHeight - (v / axisMax * plotHeight);

        for (var tick = 0.0; tick <= axisMax + (step / 2); tick += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{N(left)}\" x2=\"{N(Width)}\" y1=\"{N(Y(tick))}\" y2=\"{N(Y(tick))}\" stroke=\"{(tick == 0 ? "#1b1f24" : "#d5dbe1")}\" stroke-width=\"1\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(left - 5)}\" y=\"{N(Y(tick) + 4)}\" text-anchor=\"end\">{E(Chart.Format(tick, chart.Unit))}</text>");
        }

        var slot = plotWidth / n;
        // Every label when they fit; otherwise every second, third … so none overlap on a phone.
        var labelEvery = Math.Max(1, (int)Math.Ceiling(chart.Labels.Max(l => l.Length) * CharWidth * 0.92 / slot));
        for (var i = 0; i < chart.Labels.Count; i++)
        {
            if (i % labelEvery == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(left + (slot * (i + 0.5)))}\" y=\"{N(top + plotHeight + 16)}\" text-anchor=\"middle\" font-size=\"11\">{E(chart.Labels[i])}</text>");
            }
        }

        if (line)
        {
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var points = string.Join(' ', Enumerable.Range(0, chart.Labels.Count).Select(i => $"{N(left + (slot * (i + 0.5)))},{N(Y(Value(chart.Series[s], i)))}"));
                svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{Colour(s)}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>");
                for (var i = 0; i < chart.Labels.Count; i++)
                {
                    svg.Append(Marker(s, left + (slot * (i + 0.5)), Y(Value(chart.Series[s], i))));
                }
            }
        }
        else
        {
            var barWidth = Math.Min(48, slot * 0.72);
            for (var i = 0; i < chart.Labels.Count; i++)
            {
                var x = left + (slot * (i + 0.5)) - (barWidth / 2);
                double stacked = 0;
                for (var s = 0; s < chart.Series.Count; s++)
                {
                    var value = Value(chart.Series[s], i);
                    if (value <= 0)
                    {
                        continue;
                    }

                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"{N(Y(stacked + value))}\" width=\"{N(barWidth)}\" height=\"{N(Y(stacked) - Y(stacked + value))}\" fill=\"{Fill(chart, s)}\" stroke=\"#fff\" stroke-width=\"1\"/>");
                    stacked += value;
                }
            }
        }

        return plotHeight + labelRoom + 4;
    }

    /// <summary>A line series' point marker: circle, square, triangle, diamond … so lines differ without colour.</summary>
    private static string Marker(int series, double x, double y)
    {
        var colour = Colour(series);
        return (series % 4) switch
        {
            0 => $"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"4\" fill=\"{colour}\"/>",
            1 => $"<rect x=\"{N(x - 4)}\" y=\"{N(y - 4)}\" width=\"8\" height=\"8\" fill=\"{colour}\"/>",
            2 => $"<path d=\"M{N(x)} {N(y - 5)} L{N(x + 5)} {N(y + 4)} L{N(x - 5)} {N(y + 4)}Z\" fill=\"{colour}\"/>",
            _ => $"<path d=\"M{N(x)} {N(y - 5)} L{N(x + 5)} {N(y)} L{N(x)} {N(y + 5)} L{N(x - 5)} {N(y)}Z\" fill=\"{colour}\"/>",
        };
    }

    /// <summary>An axis top at 1, 2 or 5 × 10ⁿ steps, four or five of them, so the gridlines read as round numbers.</summary>
    internal static (double Max, double Step) Nice(double max)
    {
        if (max <= 0)
        {
            return (4, 1);
        }

        var rough = max / 4;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = s_steps.Select(m => m * power).First(s => s >= rough);
        step = Math.Max(1, step);
        return (Math.Ceiling(max / step) * step, step);
    }

    private static double Value(ChartSeries series, int index) => index < series.Values.Count ? Math.Max(0, series.Values[index]) : 0;

    private static string Fit(string text, double width)
    {
        var chars = (int)(width / CharWidth);
        return text.Length <= chars ? text : string.Concat(text.AsSpan(0, chars - 1), "…");
    }

    private static string N(double value) => Math.Round(value, 1).ToString(s_invariant);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
