namespace Brightline.Pages.WebFiltering;

/// <summary>A local allow/deny entry shown on the profiles page: from the policy file or approved in the portal.</summary>
public sealed record ProfileEntryView(string Action, string Entry, string? Reason, string? Expires, bool Expired, string Source);
