namespace Brightline.Portal;

/// <summary>
/// O14: whether a parent or volunteer holds an approved official capacity now, which gives them the staff role while
/// it is in force. The approvals feature answers.
/// </summary>
public interface IOfficialCapacity
{
    Task<bool> IsInOfficialCapacityAsync(string schoolId, Guid personId, CancellationToken cancellationToken);
}
