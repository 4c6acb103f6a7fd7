using Brightline.Policy.Model;

namespace Brightline.Access;

/// <summary>Why one kind of access is refused: an agreement missing since a date, or the person has left.</summary>
public sealed record AccessReason(string Code, string Message, string? AgreementId, DateOnly? Since);
