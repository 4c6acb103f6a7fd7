using Brightline.Kernel;

namespace Brightline.Loans;

/// <summary>The loan book's CSV columns (UK times, names not IDs): one shape for the portal's export and <c>brightline loans export</c>.</summary>
public static class LoanCsvRows
{
    public static string Header() =>
        SafeCsv.Line("Device", "Asset tag", "Borrower", "Purpose", "Out", "Signed out by", "Due", "Returned", "Signed in by", "Back in the suite", "On charge", "Outcome");

    public static string Line(LoanRow r) =>
        SafeCsv.Line(r.DeviceName, r.AssetTag, r.Borrower, r.Loan.Purpose, UkFormat.ShortDateTime(r.Loan.OutAt), r.Loan.OutBy,
            UkFormat.ShortDateTime(r.Loan.DueAt), r.Loan.ReturnedAt is { } at ? UkFormat.ShortDateTime(at) : "", r.Loan.ReturnedBy,
            YesNo(r.Loan.ReturnedToSuite), YesNo(r.Loan.Charged), r.OutcomeText ?? (r.Loan.ReturnedAt is null ? "" : "Signed back in"));

    public static string YesNo(bool? value) => value switch { true => "Yes", false => "No", null => "" };
}
