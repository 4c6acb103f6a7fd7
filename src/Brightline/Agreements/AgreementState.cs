namespace Brightline.Agreements;

public enum AgreementState
{
    Signed,
    Due,
    Overdue,
}
