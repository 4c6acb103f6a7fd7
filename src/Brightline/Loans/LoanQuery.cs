namespace Brightline.Loans;

/// <summary>
/// Filters for the loan list: status, words, and one device, person or class (their history). <see cref="Page"/> is
/// the portal's page number; <see cref="After"/>, when given, a keyset cursor (the API's <c>after=</c>) that replaces it.
/// </summary>
public sealed record LoanQuery(string? Status, string? Search, Guid? DeviceId, Guid? PersonId, string? ClassName, int Page, LoanCursor? After = null);
