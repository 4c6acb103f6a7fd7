namespace Brightline.Loans;

/// <summary>
/// A sign-out as typed at the kiosk or posted to the API (C15: date, adult or class, purpose). Exactly one borrower:
/// <see cref="BorrowerPersonId"/> (an adult), <see cref="BorrowerClass"/> (e.g. "4 Ash") or <see cref="Me"/> (the signed-in adult).
/// </summary>
/// <param name="AssetTag">The label on the device, typed or scanned.</param>
/// <param name="DueAt">When it is due back; null for the end of today's school day.</param>
public sealed record NewLoan(string? AssetTag, Guid? BorrowerPersonId, string? BorrowerClass, bool Me, string? Purpose, DateTimeOffset? DueAt);
