using Brightline.Data.Entities;

namespace Brightline.Consents;

/// <summary>What one child lacks for a channel: the parent's consent, the child's verbal consent, or a question at all.</summary>
public sealed record PublicationGap(Person Child, string? QuestionId, bool LacksParental, bool LacksVerbal, string Reason);
