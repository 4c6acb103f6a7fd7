namespace Brightline.Safeguarding;

/// <summary>The outcome of one event of a batch, by its index in the batch.</summary>
public sealed record EventResult(int Index, string? Id, string Status, string? Error = null);
