namespace Brightline.Network;

/// <summary>What a live Accept hands FreeRADIUS so it can repeat it (<see cref="FreeRadiusAnswers"/>).</summary>
/// <param name="Salt">Random, per entry (hex).</param>
/// <param name="PasswordHash">SHA-256 of the salt and the password (hex).</param>
/// <param name="SessionSeconds">The Accept's Session-Timeout: FreeRADIUS turns it into a moment by its own clock (two servers' clocks need not agree), and a repeat counts down to that moment.</param>
/// <param name="Seconds">How long FreeRADIUS keeps the entry.</param>
/// <param name="PolicyVersion">The policy version the answer was decided under.</param>
public sealed record RepeatEntry(string Salt, string PasswordHash, int SessionSeconds, int Seconds, string PolicyVersion);
