using Brightline.Data.Entities;

namespace Brightline.Safeguarding;

/// <summary>A school exception with the names (not account IDs) of who proposed, reviewed and withdrew it.</summary>
public sealed record ExceptionRow(MonitoringException Exception, string ProposedBy, string? ReviewedBy, string? WithdrawnBy);
