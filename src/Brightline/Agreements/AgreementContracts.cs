using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

// The agreements feature's public surface, used by the portal, the API and the access gate.

public enum AgreementState
{
    Signed,
    Due,
    Overdue,
}

/// <summary>One agreement a person must have signed, with who still has to sign and by when.</summary>
public sealed record RequiredAgreement(
    string AgreementId,
    string Title,
    long AgreementVersionId,
    string TextHash,
    Signers Signers,
    bool NeedsSelf,
    bool NeedsParent,
    bool SelfSigned,
    bool ParentSigned,
    DateOnly DueBy,
    AgreementState State,
    IReadOnlyList<AccessKind> Withholds,
    /// <summary>Since when the person has lacked a valid signature (their start, the year's start or the text change).</summary>
    DateOnly? MissingSince);

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

public sealed record CountersignContext(string SchoolId, Person Child, Person Parent, AgreementVersion Version, DateTimeOffset ExpiresAt);

public sealed record GroupCompliance(string GroupId, string GroupName, int People, int Signed, int Due, int Overdue);

public sealed record ClassCompliance(string ClassName, int People, int Signed, int Due, int Overdue);

public sealed record OverduePerson(Guid PersonId, string Name, string? ClassName, string AgreementTitle, DateOnly DueBy, bool AwaitingParent);

public sealed record ComplianceSummary(
    IReadOnlyList<GroupCompliance> Groups,
    IReadOnlyList<ClassCompliance> Classes,
    IReadOnlyList<OverduePerson> Overdue,
    DateOnly PolicyNextReview,
    bool PolicyReviewDue);
