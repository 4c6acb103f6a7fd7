namespace Brightline.Agreements;

/// <summary>
/// A person's standing across all their agreements. <see cref="NotRequired"/> is its own answer: someone the policy
/// asks for no agreement has signed nothing, so counting them as signed inflated "signed" (issue 17 defect 7).
/// </summary>
public enum ComplianceState
{
    Signed,
    Due,
    Overdue,
    NotRequired,
}
