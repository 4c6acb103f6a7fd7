using Brightline.Data.Entities;

namespace Brightline.Leavers;

/// <summary>One checklist on the leavers page: whose, why, and how many lines are still open.</summary>
public sealed record LeaverChecklistRow(LeaverChecklist Checklist, string PersonName, int Open, int Total);
