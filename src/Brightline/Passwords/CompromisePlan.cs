namespace Brightline.Passwords;

/// <summary>What "my password may be compromised" will do for an account, for the confirmation page.</summary>
public sealed record CompromisePlan(string Register, string RegisterLabel, IReadOnlyList<string> Notify);
