namespace Brightline.People;

public sealed record ImportOptions(bool DryRun = false, bool FullImport = true);
