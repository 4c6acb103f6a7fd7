namespace Brightline.People;

/// <summary>What "Check the file" produced: the dry run's report and the handle "Apply" sends back.</summary>
public sealed record StagedCheck(string Id, ImportReport Report, DateTimeOffset ExpiresAt);
