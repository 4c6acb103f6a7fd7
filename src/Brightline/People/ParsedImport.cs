namespace Brightline.People;

internal sealed record ParsedImport(int RowsRead, IReadOnlyList<ImportRow> Rows, IReadOnlyList<ImportRowError> Errors);
