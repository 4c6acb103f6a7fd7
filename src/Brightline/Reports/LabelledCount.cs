namespace Brightline.Reports;

/// <summary>A count under a label, e.g. ("Behaviour", 3).</summary>
public sealed record LabelledCount(string Label, int Value);
