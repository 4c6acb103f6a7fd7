namespace Brightline.Devices;

/// <summary>The import's answer. A file with any error stores nothing; a dry run stores nothing either.</summary>
public sealed record DeviceImportReport(bool DryRun, bool Stored, int RowsRead, int Added, int Updated, int Unchanged,
    IReadOnlyList<DeviceImportError> Errors, IReadOnlyList<DeviceImportChange> Changes);
