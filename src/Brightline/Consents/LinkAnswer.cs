namespace Brightline.Consents;

/// <summary>One answer a parent gave through their link.</summary>
public sealed record LinkAnswer(Guid ChildId, string QuestionId, bool Given);
