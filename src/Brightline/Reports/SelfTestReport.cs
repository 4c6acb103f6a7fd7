using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Brightline.DnsFiltering;
using Brightline.Dns.Wire;
using Brightline.Filtering;
using Brightline.WebFiltering;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;

namespace Brightline.Reports;

public sealed record SelfTestReport(DateTimeOffset At, string? DnsEndPoint, IReadOnlyList<SelfTestRow> Rows)
{
    public int Passed => Rows.Count(r => r.Result == SelfTestResults.Pass);
    public int Failed => Rows.Count(r => r.Result == SelfTestResults.Fail);
    public int NotRun => Rows.Count(r => r.Result == SelfTestResults.NotRun);
}
