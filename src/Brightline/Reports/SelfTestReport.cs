namespace Brightline.Reports;

public sealed record SelfTestReport(DateTimeOffset At, string? DnsEndPoint, IReadOnlyList<SelfTestRow> Rows)
{
    public int Passed => Rows.Count(r => r.Result == SelfTestResults.Pass);
    public int Failed => Rows.Count(r => r.Result == SelfTestResults.Fail);
    public int NotRun => Rows.Count(r => r.Result == SelfTestResults.NotRun);
}
