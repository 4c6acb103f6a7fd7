using Brightline.Data.Entities;

namespace Brightline.Loans;

/// <summary>One loan as the lists show it: the device and the borrower by name, never by ID.</summary>
public sealed record LoanRow(DeviceLoan Loan, string DeviceName, string? AssetTag, string? BorrowerName, string? Outcome = null)
{
    /// <summary>"Written off", "Reported lost" or "Reported stolen" for a loan closed without a sign-in (C15); null otherwise.</summary>
    public string? OutcomeText => LoanBook.DescribeOutcome(Outcome);

    /// <summary>"4 Ash" or "Priya Patel": who has it.</summary>
    public string Borrower => Loan.BorrowerClass ?? BorrowerName ?? "—";

    public bool IsOut => Loan.ReturnedAt is null;

    public bool IsOverdue(DateTimeOffset now) => Loan.ReturnedAt is null && Loan.DueAt <= now;
}
