using Brightline.Policy.Model;

namespace Brightline.Access;

public sealed record AccessItem(AccessKind Access, bool Allowed, IReadOnlyList<AccessReason> Reasons);
