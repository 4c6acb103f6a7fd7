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

/// <summary>One sample name asked of the live DNS filter from one group's network, and what came back.</summary>
public sealed record SelfTestRow(
    string Group, string Category, string? Sample, string? From, bool? ExpectedBlocked, bool? Blocked, string Result, string Detail);
