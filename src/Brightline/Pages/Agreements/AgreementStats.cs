namespace Brightline.Pages.Agreements;

public sealed record AgreementStats(Brightline.Policy.Model.Agreement Agreement, int Required, int Signed, int Due, int Overdue, int AwaitingParent);
