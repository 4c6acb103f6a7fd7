namespace Brightline.Loans;

/// <summary>Which loans a list shows.</summary>
public static class LoanFilters
{
    public const string Out = "out";
    public const string Overdue = "overdue";
    public const string ReturnedToday = "returned-today";
    public const string All = "all";

    public static readonly IReadOnlyList<(string Value, string Label)> Choices =
        [(Out, "Out now"), (Overdue, "Overdue"), (ReturnedToday, "Returned today"), (All, "All loans")];

    public static string Normalise(string? status) => status is Out or Overdue or ReturnedToday or All ? status : Out;
}
