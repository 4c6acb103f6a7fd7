namespace Brightline.People;

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
