namespace Brightline.Agreements;

public sealed record ClassCompliance(string ClassName, int People, int Signed, int Due, int Overdue, int NotRequired = 0);
