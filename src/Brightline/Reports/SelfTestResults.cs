namespace Brightline.Reports;

/// <summary>pass, fail or not_run, for one category tested as one group.</summary>
public static class SelfTestResults
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string NotRun = "not_run";
}
