namespace Brightline.Pages.Safeguarding;

/// <summary>
/// One dated thing a safeguarding lead must act on, for the deadlines on her home (issue 17): what it is (by name),
/// where to act on it, when it is due (to the minute when the clock is hours, a day when it is a date) and whether that
/// has passed.
/// </summary>
public sealed record Deadline(string What, string Link, string Action, DateTimeOffset DueAt, string DueText, bool Overdue);
