using Brightline.Data.Entities;

namespace Brightline.Agreements;

/// <summary>
/// One chase as the portal's progress page reads it: a snapshot of its <c>chase_runs</c> row, whichever node is
/// sending it. The page shows "<see cref="Done"/> of <see cref="Total"/>" until <see cref="Finished"/>.
/// </summary>
public sealed class ChaseRun
{
    private ChaseRun(ChaseRunRecord row)
    {
        Id = row.Id;
        SchoolId = row.SchoolId;
        StartedAt = row.StartedAt;
        Total = row.Total;
        Countersignatures = row.Countersignatures;
        Unreachable = row.Unreachable;
        Done = row.Done;
        Outcome = row is { Sent: { } sent, Failed: { } failed } ? new ChaseOutcome(sent, failed) : null;
        Error = Outcome is null ? row.Error : null;
        Finished = row.FinishedAt is not null;
    }

    public Guid Id { get; }

    public string SchoolId { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Reminders planned: the number the confirmation named.</summary>
    public int Total { get; }

    public int Countersignatures { get; }

    public int Unreachable { get; }

    /// <summary>Reminders saved for sending so far (a batch at a time).</summary>
    public int Done { get; }

    public ChaseOutcome? Outcome { get; }

    public string? Error { get; }

    public bool Finished { get; }

    internal static ChaseRun From(ChaseRunRecord row) => new(row);
}
