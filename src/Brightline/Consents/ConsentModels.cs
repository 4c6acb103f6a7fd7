using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Consents;

/// <summary>Who is recording: their school, account and name (for the answer row and the audit log).</summary>
public sealed record ConsentActor(string SchoolId, string UserId, string UserName);

/// <summary>A consent as it stands: yes, no, or never answered (which counts as no for publication).</summary>
public enum ConsentState
{
    NotAsked,
    Yes,
    No,
}

/// <summary>
/// One question's state for one child: the parent's answer in force and, where the question asks it (C14), the
/// child's own verbal consent. <see cref="Verbal"/> is null when the question does not ask the child.
/// </summary>
public sealed record ConsentCell(ConsentQuestion Question, ConsentState Parental, ConsentState? Verbal, ConsentAnswer? ParentalAnswer, ConsentAnswer? VerbalAnswer)
{
    /// <summary>Whether an image may be published on this question's channel: parent yes, and the child's yes where asked.</summary>
    public bool Allows => Parental == ConsentState.Yes && Verbal is null or ConsentState.Yes;
}

/// <summary>A child and the state of every question that asks about them (in the policy's order).</summary>
public sealed record ChildConsents(Person Child, IReadOnlyList<ConsentCell> Cells)
{
    public ConsentCell? For(string questionId) => Cells.FirstOrDefault(c => string.Equals(c.Question.Id, questionId, StringComparison.Ordinal));
}

/// <summary>What one child lacks for a channel: the parent's consent, the child's verbal consent, or a question at all.</summary>
public sealed record PublicationGap(Person Child, string? QuestionId, bool LacksParental, bool LacksVerbal, string Reason);

/// <summary>The answer to "may these children appear on this channel?": allowed only when nobody lacks anything.</summary>
public sealed record PublicationCheck(string Channel, IReadOnlyList<Person> Children, IReadOnlyList<PublicationGap> Gaps, IReadOnlyList<string> Reminders)
{
    public bool Allowed => Gaps.Count == 0 && Children.Count > 0;
}

/// <summary>An open parent's link: the parent, and each of their children with the questions asked about them.</summary>
public sealed record ConsentLinkContext(string SchoolId, Person Parent, IReadOnlyList<ChildConsents> Children, DateTimeOffset ExpiresAt);

/// <summary>One answer a parent gave through their link.</summary>
public sealed record LinkAnswer(Guid ChildId, string QuestionId, bool Given);
