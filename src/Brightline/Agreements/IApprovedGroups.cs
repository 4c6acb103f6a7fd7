using Brightline.Policy.Model;

namespace Brightline.Agreements;

/// <summary>
/// O14: the groups whose agreements a person also owes while an official-capacity approval is in force (a parent
/// helping in class owes the staff agreement). The approvals feature answers; agreements only ask.
/// </summary>
public interface IApprovedGroups
{
    Task<IReadOnlyList<string>> ForPersonAsync(SchoolPolicy policy, string schoolId, Guid personId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<Guid, IReadOnlyList<string>>> ForSchoolAsync(SchoolPolicy policy, string schoolId, CancellationToken cancellationToken);
}
