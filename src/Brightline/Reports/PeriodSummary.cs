using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Safeguarding;
using Brightline.Policies;
using Brightline.Sanctions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Reports;

/// <summary>
/// The period's numbers. Deliberately holds no names, titles, phrases or free text about anyone: governors see
/// numbers, not children (issue 5 §5), and the same summary goes into the annual review pack.
/// </summary>
public sealed record PeriodSummary(
    ReportPeriod Period,
    int Incidents,
    IReadOnlyList<Count> IncidentsByKind,
    IReadOnlyList<Count> IncidentsByRule,
    IReadOnlyList<Count> IncidentsByOutcome,
    int Sanctions,
    IReadOnlyList<Count> SanctionsByKind,
    int SanctionsLifted,
    IReadOnlyList<Count> FilterRequestsByOutcome,
    int Alerts,
    IReadOnlyList<Count> AlertsByCategory,
    IReadOnlyList<Count> AlertsBySeverity,
    IReadOnlyList<Count> AlertsByOutcome,
    IReadOnlyList<GroupCompliance> Compliance,
    DateOnly ComplianceOn,
    IReadOnlyList<Count> ApprovalsByKind);
