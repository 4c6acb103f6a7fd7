using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Incidents;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Safeguarding;
using Brightline.Sanctions;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Reports;

/// <summary>
/// The termly report for governors (issue 5 §5): incidents by kind, rule and outcome; sanctions; approvals;
/// monitoring alerts and their outcomes; agreement compliance per group. HTML, and PDF printed from it.
/// </summary>
public sealed class GovernorsReport(BrightlineDbContext db, PolicyStore policies, AgreementService agreements, TimeProvider time)
{
    public async Task<PeriodSummary> SummariseAsync(string schoolId, ReportPeriod period, CancellationToken cancellationToken)
    {
        var from = period.From;
        var until = period.Until;

        // Incidents recorded in the period. Only kind, rules and status are read: never titles, timelines or
        // the outcome text, which is free text about people; open/closed is the outcome governors see.
        var incidents = await db.Set<Incident>().AsNoTracking()
            .Where(i => i.SchoolId == schoolId && i.CreatedAt >= from && i.CreatedAt < until)
            .Select(i => new { i.Kind, i.RuleIds, i.Status })
            .ToListAsync(cancellationToken);
        var byKind = IncidentKinds.All.Select(k => new LabelledCount(IncidentKinds.Describe(k), incidents.Count(i => string.Equals(i.Kind, k, StringComparison.Ordinal))))
            .Where(c => c.Value > 0).ToList();
        var byRule = incidents
            .SelectMany(i => i.RuleIds.Distinct(StringComparer.Ordinal))
            .GroupBy(r => r, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new LabelledCount(g.Key, g.Count())).ToList();
        var noRule = incidents.Count(i => i.RuleIds.Count == 0);
        if (noRule > 0)
        {
            byRule.Add(new LabelledCount("No rule cited", noRule));
        }

        var byOutcome = incidents.GroupBy(i => i.Status).OrderBy(g => g.Key.Key(), StringComparer.Ordinal)
            .Select(g => new LabelledCount(g.Key switch
            {
                IncidentStatus.Open => "Still open",
                IncidentStatus.Closed => "Closed",
                IncidentStatus.Investigating or IncidentStatus.Referred => g.Key.Key(),
                _ => throw new InvalidOperationException($"Incident status {g.Key} has no report wording."),
            }, g.Count())).ToList();

        var sanctions = await db.Set<Sanction>().AsNoTracking()
            .Where(s => s.SchoolId == schoolId && s.ImposedAt >= from && s.ImposedAt < until)
            .Select(s => new { s.Kind, s.LiftedAt })
            .ToListAsync(cancellationToken);
        var sanctionsByKind = Enum.GetValues<SanctionKind>()
            .Select(k => new LabelledCount(SanctionText.Title(k), sanctions.Count(s => s.Kind == k))).Where(c => c.Value > 0).ToList();

        var requests = await db.Set<FilterRequest>().AsNoTracking()
            .Where(r => r.SchoolId == schoolId && r.CreatedAt >= from && r.CreatedAt < until)
            .Select(r => new { r.Kind, r.Status })
            .ToListAsync(cancellationToken);
        var requestOutcomes = requests.GroupBy(r => (r.Kind, r.Status)).OrderBy(g => g.Key.Kind.Key(), StringComparer.Ordinal).ThenBy(g => g.Key.Status.Key(), StringComparer.Ordinal)
            .Select(g => new LabelledCount($"{(g.Key.Kind == FilterRequestKind.Unblock ? "Unblock request" : "Reported miss")}: {g.Key.Status.Key()}", g.Count())).ToList();

        var alerts = await db.Set<MonitoringAlert>().AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.FirstAt >= from && a.FirstAt < until)
            .Select(a => new { a.Category, a.Severity, a.SeverityRank, a.Outcome })
            .ToListAsync(cancellationToken);
        var alertsByCategory = alerts.GroupBy(a => a.Category, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new LabelledCount(g.Key, g.Count())).ToList();
        var alertsBySeverity = alerts.GroupBy(a => (a.SeverityRank, a.Severity)).OrderByDescending(g => g.Key.SeverityRank)
            .Select(g => new LabelledCount(g.Key.Severity, g.Count())).ToList();
        var alertsByOutcome = alerts.GroupBy(a => a.Outcome).OrderBy(g => g.Key is { } o ? o.Key() : "", StringComparer.Ordinal)
            .Select(g => new LabelledCount(g.Key is { } o ? o.Describe() : "Awaiting an outcome", g.Count())).ToList();

        // Compliance is as it stands today (signatures are not kept per term); the report says so.
        // Groups only: the overdue list is not in the report (no names).
        var compliance = await agreements.ComplianceAsync(schoolId, within: null, overdueLimit: 0, cancellationToken);

        // Approvals asked for in the period, by kind and where they stand now (no reasons, no names).
        var approvals = await db.Set<ApprovalRequest>().AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.CreatedAt >= from && a.CreatedAt < until)
            .Select(a => new { a.Kind, a.Status })
            .ToListAsync(cancellationToken);
        var approvalsByKind = approvals.GroupBy(a => (a.Kind, a.Status))
            .OrderBy(g => g.Key.Kind, StringComparer.Ordinal).ThenBy(g => g.Key.Status.Key(), StringComparer.Ordinal)
            .Select(g => new LabelledCount($"{DescribeApproval(g.Key.Kind)}: {g.Key.Status.Key()}", g.Count())).ToList();
        return new PeriodSummary(period, incidents.Count, byKind, byRule, byOutcome,
            sanctions.Count, sanctionsByKind, sanctions.Count(s => s.LiftedAt is not null), requestOutcomes,
            alerts.Count, alertsByCategory, alertsBySeverity, alertsByOutcome, compliance.Groups, SchoolClock.Today(time), approvalsByKind);
    }

    private static string DescribeApproval(string kind) => kind switch
    {
        Approvals.ApprovalKinds.Exemption => "Exemption from a rule (O3)",
        Approvals.ApprovalKinds.OfficialCapacity => "Official-capacity access (O14)",
        Approvals.ApprovalKinds.GuestWifi => "Guest Wi-Fi (O22)",
        Approvals.ApprovalKinds.ClassUnblock => "Class unblock",
        Approvals.ApprovalKinds.Unrestricted => "Unrestricted filtering (C11)",
        Approvals.ApprovalKinds.EmailInspection => "Inspection of stored email (H17)",
        Approvals.ApprovalKinds.PersonalDevice => "Personal device with school data (O19)",
        _ => kind,
    };

    /// <summary>The report as a complete HTML document.</summary>
    public async Task<(string Title, string Html)> RenderAsync(string schoolId, ReportPeriod period, CancellationToken cancellationToken)
    {
        var summary = await SummariseAsync(schoolId, period, cancellationToken);
        var school = (await policies.ActiveAsync(schoolId, cancellationToken)).School.Name;
        var title = $"Report to governors: {period.Label}";
        var html = new ReportHtml()
            .Heading(1, title)
            .Para($"{school}. Online safety and acceptable use, {period.Describe()}. Produced {Brightline.Kernel.UkFormat.Long(SchoolClock.Today(time))}.")
            .Para("This report gives numbers only. It names no pupil or member of staff; the DSL holds the records behind each figure.", "note");
        WriteSummary(html, summary);
        return (title, ReportHtml.Document(title, html.Body));
    }

    /// <summary>The sections shared by the governors' report and the annual review pack.</summary>
    internal static void WriteSummary(ReportHtml html, PeriodSummary s)
    {
        static IEnumerable<IReadOnlyList<string>> Rows(IEnumerable<LabelledCount> counts) => counts.Select(c => (IReadOnlyList<string>)[c.Label, ReportHtml.N(c.Value)]);

        html.Heading(2, "Incidents", "incidents")
            .Para($"{ReportHtml.N(s.Incidents)} incident(s) recorded.")
            .Table("incidents-by-kind", "Incidents by kind", ["Kind", "Number"], Rows(s.IncidentsByKind))
            .Table("incidents-by-rule", "Incidents by policy rule breached", ["Rule", "Number"], Rows(s.IncidentsByRule))
            .Table("incidents-by-outcome", "Incidents by outcome", ["Outcome", "Number"], Rows(s.IncidentsByOutcome));
        html.Heading(2, "Sanctions", "sanctions")
            .Para($"{ReportHtml.N(s.Sanctions)} sanction(s) imposed; {ReportHtml.N(s.SanctionsLifted)} of them since lifted.")
            .Table("sanctions-by-kind", "Sanctions by kind", ["Sanction", "Number"], Rows(s.SanctionsByKind));
        html.Heading(2, "Approvals and filtering requests", "approvals")
            .Table("filter-requests", "Unblock requests and reported misses, by decision", ["Request", "Number"], Rows(s.FilterRequestsByOutcome));
        html.Table("approvals-by-kind", "Approvals asked for, by kind and where they stand now", ["Approval", "Number"], Rows(s.ApprovalsByKind));

        html.Heading(2, "Monitoring alerts", "alerts")
            .Para($"{ReportHtml.N(s.Alerts)} alert(s) raised.")
            .Table("alerts-by-category", "Alerts by category", ["Category", "Number"], Rows(s.AlertsByCategory))
            .Table("alerts-by-severity", "Alerts by severity", ["Severity", "Number"], Rows(s.AlertsBySeverity))
            .Table("alerts-by-outcome", "Alerts by outcome", ["Outcome", "Number"], Rows(s.AlertsByOutcome));
        html.Heading(2, "Agreement compliance", "compliance")
            .Para($"As at {Brightline.Kernel.UkFormat.Long(s.ComplianceOn)}: people in each group whose required agreements are signed, due or overdue, and those the policy asks for none (never counted as signed).")
            .Table("compliance", "Agreement compliance by group", ["Group", "People", "Signed", "Due", "Overdue", "No agreement needed"],
                s.Compliance.Where(g => g.People > 0).Select(g => (IReadOnlyList<string>)[g.GroupName, ReportHtml.N(g.People), ReportHtml.N(g.Signed), ReportHtml.N(g.Due), ReportHtml.N(g.Overdue), ReportHtml.N(g.NotRequired)]),
                "Nobody is on the roll yet.");
    }
}
