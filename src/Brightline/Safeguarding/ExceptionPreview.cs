namespace Brightline.Safeguarding;

/// <summary>
/// What a proposed exception would do: the reasons it cannot be accepted (empty when it can), and how many of the
/// school's past alerts it would have silenced, with a few of them to show.
/// </summary>
/// <param name="Problems">Why it is refused, in plain words; empty when it may be proposed (or approved).</param>
/// <param name="Silenced">How many of the school's past alerts it would have silenced.</param>
/// <param name="Scanned">How many past alerts of its category still had their text to re-scan.</param>
/// <param name="Examples">A few of the silenced alerts, newest first.</param>
public sealed record ExceptionPreview(IReadOnlyList<string> Problems, int Silenced, int Scanned, IReadOnlyList<SilencedAlert> Examples)
{
    public bool Acceptable => Problems.Count == 0;
}
