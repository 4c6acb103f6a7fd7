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
    IReadOnlyList<LabelledCount> IncidentsByKind,
    IReadOnlyList<LabelledCount> IncidentsByRule,
    IReadOnlyList<LabelledCount> IncidentsByOutcome,
    int Sanctions,
    IReadOnlyList<LabelledCount> SanctionsByKind,
    int SanctionsLifted,
    IReadOnlyList<LabelledCount> FilterRequestsByOutcome,
    int Alerts,
    IReadOnlyList<LabelledCount> AlertsByCategory,
    IReadOnlyList<LabelledCount> AlertsBySeverity,
    IReadOnlyList<LabelledCount> AlertsByOutcome,
    IReadOnlyList<GroupCompliance> Compliance,
    DateOnly ComplianceOn,
    IReadOnlyList<LabelledCount> ApprovalsByKind);
