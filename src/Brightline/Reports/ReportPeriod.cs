using System.Globalization;
using Brightline.Kernel;
using Brightline.Policy.Model;

namespace Brightline.Reports;

/// <summary>A span of school dates (inclusive) a report covers, with the name it is shown under.</summary>
public sealed record ReportPeriod(DateOnly Start, DateOnly End, string Label)
{
    /// <summary>The first moment of <see cref="Start"/>, UK time, as UTC.</summary>
    public DateTimeOffset From => Brightline.Kernel.SchoolClock.StartOf(Start);

    /// <summary>The first moment after <see cref="End"/>, UK time, as UTC (exclusive bound).</summary>
    public DateTimeOffset Until => Brightline.Kernel.SchoolClock.StartOf(End.AddDays(1));

    /// <summary>"1 September 2026 to 18 December 2026".</summary>
    public string Describe() => $"{Brightline.Kernel.UkFormat.Long(Start)} to {Brightline.Kernel.UkFormat.Long(End)}";
}
