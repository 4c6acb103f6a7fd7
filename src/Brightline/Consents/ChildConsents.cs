using Brightline.Data.Entities;

namespace Brightline.Consents;

/// <summary>A child and the state of every question that asks about them (in the policy's order).</summary>
public sealed record ChildConsents(Person Child, IReadOnlyList<ConsentCell> Cells)
{
    public ConsentCell? For(string questionId) => Cells.FirstOrDefault(c => string.Equals(c.Question.Id, questionId, StringComparison.Ordinal));
}
