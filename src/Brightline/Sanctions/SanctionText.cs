using Brightline.Data.Entities;

namespace Brightline.Sanctions;

public static class SanctionText
{
    public static string Title(SanctionKind kind) => kind switch
    {
        SanctionKind.WithdrawInternet => "Internet withdrawn",
        SanctionKind.RestrictCategories => "Categories restricted",
        SanctionKind.SuspendAccount => "Account suspended",
        SanctionKind.ParentMeetingRequired => "Internet withdrawn until a meeting with parents",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown sanction kind."),
    };
}
