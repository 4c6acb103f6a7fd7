using Brightline.Data.Entities;

namespace Brightline.Safeguarding;

/// <summary>A past alert an exception would have silenced: its number, when, its outcome, and its stored text split around the hit.</summary>
public sealed record SilencedAlert(long Id, DateTimeOffset At, AlertOutcome? Outcome, string Before, string Match, string After);
