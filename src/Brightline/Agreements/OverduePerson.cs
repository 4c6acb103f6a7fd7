using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

public sealed record OverduePerson(Guid PersonId, string Name, string? ClassName, string AgreementTitle, DateOnly DueBy, bool AwaitingParent);
