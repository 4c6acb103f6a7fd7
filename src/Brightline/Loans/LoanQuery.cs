namespace Brightline.Loans;

/// <summary>Filters for the loan list: status, words, and one device, person or class (their history).</summary>
public sealed record LoanQuery(string? Status, string? Search, Guid? DeviceId, Guid? PersonId, string? ClassName, int Page);
