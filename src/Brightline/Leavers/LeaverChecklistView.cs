using Brightline.Data.Entities;

namespace Brightline.Leavers;

/// <summary>A checklist with its person and lines, for its page.</summary>
public sealed record LeaverChecklistView(LeaverChecklist Checklist, Person Person, IReadOnlyList<LeaverChecklistItem> Items);
