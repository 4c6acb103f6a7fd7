namespace Brightline.People;

/// <summary>Which MIS-style export a CSV file is.</summary>
public enum ImportKind
{
    Pupils,
    Staff,
    Adults,
}

public sealed record ImportOptions(bool DryRun = false, bool FullImport = true);

public sealed record ImportRowError(int Row, string Message);

public sealed record ImportChange(int Row, string Action, string ExternalId, string Name, string? Detail);

/// <summary>What an import did (or, for a dry run, would do).</summary>
public sealed record ImportReport(
    bool DryRun,
    int RowsRead,
    int Created,
    int Updated,
    int Unchanged,
    int MarkedLeavers,
    int ParentsCreated,
    int LinksCreated,
    IReadOnlyList<ImportRowError> Errors,
    IReadOnlyList<ImportChange> Changes);
