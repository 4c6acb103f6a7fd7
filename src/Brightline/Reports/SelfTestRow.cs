namespace Brightline.Reports;

/// <summary>One sample name asked of the live DNS filter from one group's network, and what came back.</summary>
public sealed record SelfTestRow(
    string Group, string Category, string? Sample, string? From, bool? ExpectedBlocked, bool? Blocked, string Result, string Detail);
