namespace Brightline.Audit;

public sealed record AuditVerification(long Checked, IReadOnlyList<string> Problems)
{
    public bool Intact => Problems.Count == 0;
}
