using Brightline.Data.Entities;

namespace Brightline.Agreements;

/// <summary>One countersignature a reminder asks for: the child and the agreement.</summary>
public sealed record ChaseItem(Person Child, RequiredAgreement Required);
