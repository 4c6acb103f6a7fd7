using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

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
