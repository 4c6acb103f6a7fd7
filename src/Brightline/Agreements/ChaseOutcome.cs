namespace Brightline.Agreements;

/// <summary>What a chase did: reminders queued for sending, and those refused because email is switched off here.</summary>
public sealed record ChaseOutcome(int Sent, int Failed);
