namespace Brightline.People;

public sealed record ImportRowError(int Row, string Message);
