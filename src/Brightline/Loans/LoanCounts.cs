namespace Brightline.Loans;

/// <summary>The counts the loan book's header shows.</summary>
public sealed record LoanCounts(int Out, int Overdue, int ReturnedToday);
