using Brightline.Data.Entities;

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
    string Actor)
{
    /// <summary>Answers to the agreement's questions by question ID ("yes"/"no" or text); see <see cref="SignatureAnswers"/>.</summary>
    public IReadOnlyDictionary<string, string?>? Answers { get; init; }

    /// <summary>The child a parent names on their own agreement (O13: Omnicom's parent form).</summary>
    public string? ChildName { get; init; }
}
