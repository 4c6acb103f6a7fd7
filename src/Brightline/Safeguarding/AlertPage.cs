namespace Brightline.Safeguarding;

public sealed record AlertPage(IReadOnlyList<AlertRow> Rows, int Total, int Page, int Pages, int PageSize);
