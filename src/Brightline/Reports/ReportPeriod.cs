using System.Globalization;
using Brightline.Hosting;
using Brightline.Policy.Model;

namespace Brightline.Reports;

/// <summary>A span of school dates (inclusive) a report covers, with the name it is shown under.</summary>
public sealed record ReportPeriod(DateOnly Start, DateOnly End, string Label)
{
    /// <summary>The first moment of <see cref="Start"/>, UK time, as UTC.</summary>
    public DateTimeOffset From => Agreements.SchoolClock.StartOf(Start);

    /// <summary>The first moment after <see cref="End"/>, UK time, as UTC (exclusive bound).</summary>
    public DateTimeOffset Until => Agreements.SchoolClock.StartOf(End.AddDays(1));

    /// <summary>"1 September 2026 to 18 December 2026".</summary>
    public string Describe() => $"{Portal.UkFormat.Long(Start)} to {Portal.UkFormat.Long(End)}";
}
