using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Consents;

/// <summary>
/// One question's state for one child: the parent's answer in force and, where the question asks it (C14), the
/// child's own verbal consent. <see cref="Verbal"/> is null when the question does not ask the child.
/// </summary>
public sealed record ConsentCell(ConsentQuestion Question, ConsentState Parental, ConsentState? Verbal, ConsentAnswer? ParentalAnswer, ConsentAnswer? VerbalAnswer)
{
    /// <summary>Whether an image may be published on this question's channel: parent yes, and the child's yes where asked.</summary>
    public bool Allows => Parental == ConsentState.Yes && Verbal is null or ConsentState.Yes;
}
