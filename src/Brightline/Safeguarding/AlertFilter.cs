namespace Brightline.Safeguarding;

public sealed record AlertFilter(string? Severity, string? Category, string? Group, Guid? Person, string? Status, int Page);
