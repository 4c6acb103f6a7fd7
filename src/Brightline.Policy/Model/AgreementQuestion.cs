namespace Brightline.Policy.Model;

/// <summary>How a signer answers an agreement question.</summary>
public enum QuestionType
{
    /// <summary>Yes or no; stored as "yes" / "no".</summary>
    YesNo,
    /// <summary>A short line of text (at most <see cref="AgreementQuestion.MaxTextLength"/> characters).</summary>
    Text,
}

/// <summary>
/// A question on an agreement form, answered when signing (issue 15 part 4): "May we use your child's first name on the
/// class blog?" A required question left unanswered refuses the signature; the answer is kept with it.
/// </summary>
public sealed record AgreementQuestion
{
    public const int MaxTextLength = 500;

    public required string Id { get; init; }
    public required string Text { get; init; }
    public QuestionType Type { get; init; } = QuestionType.YesNo;
    public bool Required { get; init; } = true;
}
