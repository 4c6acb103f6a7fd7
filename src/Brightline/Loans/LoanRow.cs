using Brightline.Data.Entities;

namespace Brightline.Loans;

/// <summary>One loan as the lists show it: the device and the borrower by name, never by ID.</summary>
public sealed record LoanRow(DeviceLoan Loan, string DeviceName, string? AssetTag, string? BorrowerName)
{
    /// <summary>"4 Ash" or "Priya Patel": who has it.</summary>
    public string Borrower => Loan.BorrowerClass ?? BorrowerName ?? "—";

    public bool IsOut => Loan.ReturnedAt is null;

    public bool IsOverdue(DateTimeOffset now) => Loan.ReturnedAt is null && Loan.DueAt <= now;
}

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

/// <summary>Filters for the loan list: status, words, and one device, person or class (their history).</summary>
public sealed record LoanQuery(string? Status, string? Search, Guid? DeviceId, Guid? PersonId, string? ClassName, int Page);

/// <summary>The counts the loan book's header shows.</summary>
public sealed record LoanCounts(int Out, int Overdue, int ReturnedToday);
