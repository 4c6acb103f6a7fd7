using Brightline.Data.Entities;

namespace Brightline.Safeguarding;

public sealed record AlertRow(MonitoringAlert Alert, string? PersonName, string? ClassName);
