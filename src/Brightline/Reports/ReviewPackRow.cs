namespace Brightline.Reports;

/// <summary>A stored pack without its (large) HTML and PDF, for lists.</summary>
public sealed record ReviewPackRow(Guid Id, DateOnly PeriodStart, DateOnly PeriodEnd, DateTimeOffset CreatedAt, string CreatedBy, bool HasPdf, int Passed, int Failed, int NotRun);
