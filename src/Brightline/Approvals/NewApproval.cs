namespace Brightline.Approvals;

/// <summary>What someone asks for. Which fields matter depends on the type's kind.</summary>
public sealed record NewApproval(
    string TypeId,
    string? Reason,
    Guid? SubjectPersonId = null,
    string? RuleId = null,
    string? Host = null,
    string? Detail = null,
    int? DurationMinutes = null,
    int? VoucherCount = null,
    bool AgreementAccepted = false,
    string? AgreementSignedName = null,
    string? Category = null,
    string? Role = null);
