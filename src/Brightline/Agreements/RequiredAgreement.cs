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
    DateOnly? MissingSince)
{
    /// <summary>A parent signs on the person's behalf and the person signs nothing (W6: Wetherby's EYFS; <c>parent_signs_for</c>).</summary>
    public bool OnBehalf { get; init; }

    /// <summary>The parent whose signature counts, when one does (for "signed by … on behalf of …").</summary>
    public Guid? ParentSignerId { get; init; }
}
