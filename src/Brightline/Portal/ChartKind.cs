namespace Brightline.Portal;

/// <summary>How a <see cref="Chart"/> is drawn.</summary>
public enum ChartKind
{
    /// <summary>Upright stacked columns, one per label: counts over time (weeks, terms).</summary>
    Columns,

    /// <summary>Flat stacked bars, one per label: counts per class, group or category, whose names need room.</summary>
    Bars,

    /// <summary>One line per series over the labels: a level that changes over time (a percentage).</summary>
    Line,
}
