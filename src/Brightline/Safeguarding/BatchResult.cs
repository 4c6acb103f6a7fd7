namespace Brightline.Safeguarding;

public sealed record BatchResult(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventResult> Results);
