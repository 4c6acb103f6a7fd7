namespace Brightline.Agreements;

public sealed record GroupCompliance(string GroupId, string GroupName, int People, int Signed, int Due, int Overdue, int NotRequired = 0);
