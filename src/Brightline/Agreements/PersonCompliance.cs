using Brightline.Data.Entities;

namespace Brightline.Agreements;

/// <summary>One person on roll, their agreements and their overall standing: every dashboard count is a count of these.</summary>
public sealed record PersonCompliance(Person Person, IReadOnlyList<RequiredAgreement> Required, ComplianceState State)
{
    public static ComplianceState Overall(IReadOnlyList<RequiredAgreement> required) =>
        required.Count == 0 ? ComplianceState.NotRequired
        : required.Any(r => r.State == AgreementState.Overdue) ? ComplianceState.Overdue
        : required.Any(r => r.State == AgreementState.Due) ? ComplianceState.Due
        : ComplianceState.Signed;
}
