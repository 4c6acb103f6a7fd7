namespace Brightline.Policies;

/// <summary>One term as a chart counts it: from its first day until the day before the next term starts, so the
/// holidays after a term belong to it and every date falls in exactly one term.</summary>
public sealed record TermSpan(string Name, DateOnly Start, DateOnly EndBefore)
{
    public bool Contains(DateOnly date) => Start <= date && date < EndBefore;
}
