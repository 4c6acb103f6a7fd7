namespace Brightline.Agreements;

/// <summary>
/// One chase being sent in the background, as the portal's progress page reads it. Counts only grow; the page shows
/// "<see cref="Done"/> of <see cref="Total"/>" until <see cref="Finished"/>.
/// </summary>
public sealed class ChaseRun(Guid id, string schoolId, ChasePlan plan, DateTimeOffset startedAt)
{
    private int _done;

    public Guid Id { get; } = id;

    public string SchoolId { get; } = schoolId;

    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Reminders planned: the number the confirmation named.</summary>
    public int Total { get; } = plan.Letters.Count;

    public int Countersignatures { get; } = plan.Countersignatures;

    public int Unreachable { get; } = plan.Unreachable.Count;

    public int Done => Volatile.Read(ref _done);

    public ChaseOutcome? Outcome { get; private set; }

    public string? Error { get; private set; }

    public bool Finished => Outcome is not null || Error is not null;

    internal void Progress(int done) => Volatile.Write(ref _done, done);

    internal void Complete(ChaseOutcome outcome) => Outcome = outcome;

    internal void Fail(string error) => Error = error;
}
