using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

public sealed record SignRequest(
    string SchoolId,
    Guid PersonId,
    Guid SignerId,
    string AgreementId,
    string SignedName,
    string? JobTitle,
    string? ClassName,
    bool TeacherPresent,
    SignatureMethod Method,
    string? ClientAddress,
    string Actor);
