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

/// <summary>pass, fail or not_run, for one category tested as one group.</summary>
public static class SelfTestResults
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string NotRun = "not_run";
}
