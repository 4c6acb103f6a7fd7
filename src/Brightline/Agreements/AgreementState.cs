using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

public enum AgreementState
{
    Signed,
    Due,
    Overdue,
}
