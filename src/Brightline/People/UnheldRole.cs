namespace Brightline.People;

/// <summary>A role the policy routes to that nobody at the school can act on: no account (for a decider) or no email address.</summary>
public sealed record UnheldRole(string Role, bool NeedsAccount, IReadOnlyList<string> What);
