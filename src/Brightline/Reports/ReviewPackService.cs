using System.Globalization;
using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy;
using Brightline.Policy.Model;
using Brightline.Portal;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Reports;

/// <summary>
/// The annual filtering-and-monitoring review pack (issue 5 §5; England's filtering and monitoring standards ask
/// for a yearly review, recorded). It gathers roles, each group's profile, what is blocked and allowed and why
/// (the policy's entries, the portal's overrides and the recorded request decisions), a live self-test of the DNS
/// filter, the incidents and alerts summary and the actions agreed — then stores the HTML and the printed PDF with
/// the date and who made it. A stored pack is never changed.
/// </summary>
public sealed class ReviewPackService(
    BrightlineDbContext db,
    PolicyStore policies,
    FilterService filters,
    FilterSelfTest selfTest,
    GovernorsReport summaries,
    PdfPrinter printer,
    AuditLog audit,
    TimeProvider time)
{
    public const string AuditStored = "review-pack-stored";
    public const string AuditViewed = "review-pack-downloaded";

    /// <summary>The title of the refusal when the self-test did not run, so the page can ask for the reason.</summary>
    public const string SelfTestDidNotRun = "The self-test did not run";

    /// <summary>
    /// Runs the review and stores the pack permanently. A pack is evidence that filtering works (issue 17 defect 6): when
    /// the self-test of the live DNS filter did not run at all — no check passed or failed, as when the filter is not
    /// running — it is refused unless the operator gives the reason it is stored without one, which the pack and the
    /// audit log then record.
    /// </summary>
    public async Task<ReviewPack> CreateAsync(
        string schoolId, ReportPeriod period, string? actionsAgreed, string actor, CancellationToken cancellationToken, string? storedWithoutSelfTestBecause = null)
    {
        var actions = actionsAgreed?.Trim();
        if (string.IsNullOrEmpty(actions))
        {
            throw new InvalidException("Record the actions agreed at the review (or write \"No actions\").");
        }

        if (actions.Length > 10000)
        {
            throw new InvalidException("The actions agreed are too long (10,000 characters at most).");
        }

        var active = await policies.ActiveVersionAsync(schoolId, cancellationToken);
        var policy = active.Policy;
        var summary = await summaries.SummariseAsync(schoolId, period, cancellationToken);
        var test = await selfTest.RunAsync(schoolId, cancellationToken);
        var withoutSelfTest = storedWithoutSelfTestBecause?.Trim() is { Length: > 0 } why ? why : null;
        if (test.Passed + test.Failed > 0)
        {
            withoutSelfTest = null; // it ran: there is nothing to excuse
        }
        else if (withoutSelfTest is null)
        {
            throw new ConflictException(
                $"The self-test of the live DNS filter did not run ({ReportHtml.N(test.NotRun)} checks not run"
                + (test.DnsEndPoint is null ? ": no DNS filter is running" : "") + "), so the pack would not show that filtering works. "
                + "Start the DNS filter and run the review again, or give the reason the pack is stored without a self-test.",
                SelfTestDidNotRun);
        }
        else if (withoutSelfTest.Length > 2000)
        {
            throw new InvalidException("The reason is too long (2,000 characters at most).");
        }

        var now = StoredTime.Now(time);
        var body = await RenderBodyAsync(schoolId, policy, period, summary, test, actions, actor, now, withoutSelfTest, cancellationToken);
        var title = $"Filtering and monitoring review: {policy.School.Name}, {Brightline.Kernel.UkFormat.Long(SchoolClock.DateOf(now))}";
        var html = ReportHtml.Document(title, body);
        var pdf = await printer.PrintAsync(html, cancellationToken);
        var pack = new ReviewPack
        {
            Id = Guid.NewGuid(),
            SchoolId = schoolId,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
            CreatedAt = now,
            CreatedBy = actor,
            ActionsAgreed = actions,
            Html = html,
            Pdf = pdf,
            SelfTestPassed = test.Passed,
            SelfTestFailed = test.Failed,
            SelfTestNotRun = test.NotRun,
        };
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Set<ReviewPack>().Add(pack);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(schoolId, actor, AuditStored, pack.Id.ToString(),
            string.Create(CultureInfo.InvariantCulture, $"{period.Start:yyyy-MM-dd} to {period.End:yyyy-MM-dd}; self-test {test.Passed} passed, {test.Failed} failed, {test.NotRun} not run; {(pdf is null ? "HTML only" : "PDF")}")
                + (withoutSelfTest is null ? "" : $"; stored without a self-test because: {withoutSelfTest}"),
            null, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return pack;
    }

    public async Task<IReadOnlyList<ReviewPackRow>> ListAsync(string schoolId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<ReviewPack>().AsNoTracking().Where(p => p.SchoolId == schoolId)
            .Select(p => new ReviewPackRow(p.Id, p.PeriodStart, p.PeriodEnd, p.CreatedAt, p.CreatedBy, p.Pdf != null, p.SelfTestPassed, p.SelfTestFailed, p.SelfTestNotRun))
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.CreatedAt).ToList();
    }

    public Task<ReviewPack?> FindAsync(string schoolId, Guid id, CancellationToken cancellationToken) =>
        db.Set<ReviewPack>().AsNoTracking().FirstOrDefaultAsync(p => p.SchoolId == schoolId && p.Id == id, cancellationToken);

    /// <summary>Downloads are audited: the pack names the people who hold safeguarding roles and the school's decisions.</summary>
    public Task RecordDownloadAsync(string schoolId, Guid id, string format, string actor, CancellationToken cancellationToken) =>
        audit.AppendAsync(schoolId, actor, AuditViewed, id.ToString(), format, null, cancellationToken);

    private async Task<string> RenderBodyAsync(
        string schoolId, SchoolPolicy policy, ReportPeriod period, PeriodSummary summary, SelfTestReport test, string actions, string actor, DateTimeOffset now,
        string? withoutSelfTest, CancellationToken cancellationToken)
    {
        var html = new ReportHtml()
            .Heading(1, "Annual filtering and monitoring review")
            .Para($"{policy.School.Name}{(policy.School.Urn is { } urn ? $" (URN {urn})" : "")}. Review recorded {Brightline.Kernel.UkFormat.DateTime(now)} by {actor}, "
                + $"looking back over {period.Describe()}. Policy \"{policy.Policy.Title}\", version {policy.Policy.Version}.");

        html.Heading(2, "Roles", "roles")
            .Table("roles", "Who holds the policy's roles", ["Role", "Name", "Title or organisation"],
                policy.Roles.All().Select(r => (IReadOnlyList<string>)[Describe(r.Role), r.Holder.Name, r.Holder.Title ?? r.Holder.Organisation ?? ""]),
                "The policy names no role holders.");

        html.Heading(2, "Filtering profile for each group", "profiles")
            .Table("profiles", "Profiles per group", ["Group", "Blocked categories", "Allowed categories", "Safe search", "YouTube", "Otherwise", "Schedules"],
                policy.Filtering.Profiles.Select(p => (IReadOnlyList<string>)
                [
                    policy.FindGroup(p.Group)?.Name is { } name ? $"{name} ({p.Group})" : p.Group,
                    p.Block is null ? "defaults" : string.Join(", ", p.Block),
                    p.AllowCategories.Count == 0 ? "—" : string.Join(", ", p.AllowCategories),
                    p.SafeSearch ? "on" : "off",
                    p.YouTube is { } y ? PolicyNames.ToSnake(y) : "policy default",
                    p.Default == FilterDefault.Block ? "block everything else" : "allow everything else",
                    p.Schedules.Count == 0 ? "—" : string.Join("; ", p.Schedules.Select(Describe)),
                ]),
                "The policy has no filtering profiles.");

        html.Heading(2, "What is blocked and allowed, and why", "decisions")
            .Table("policy-entries", "Local entries in the policy", ["Entry", "Group", "Action", "Reason", "Expires"],
                policy.Filtering.Profiles.SelectMany(p =>
                    p.Allow.Select(e => (IReadOnlyList<string>)[e.Entry, p.Group, "allow", e.Reason ?? "—", e.Expires is { } x ? Brightline.Kernel.UkFormat.Short(x) : "—"])
                    .Concat(p.Deny.Select(e => (IReadOnlyList<string>)[e.Entry, p.Group, "block", e.Reason ?? "—", e.Expires is { } x ? Brightline.Kernel.UkFormat.Short(x) : "—"]))),
                "The policy has no local entries.");
        var overrides = await db.Set<FilterOverride>().AsNoTracking().Where(o => o.SchoolId == schoolId && o.WithdrawnAt == null).ToListAsync(cancellationToken);
        html.Table("overrides", "Entries added in the portal (in force or expired, not withdrawn)", ["Entry", "Profile", "Action", "Reason", "Added", "Expires"],
            overrides.OrderBy(o => o.CreatedAt).Select(o => (IReadOnlyList<string>)
                [o.Entry, o.Profile, o.Action.Key(), o.Reason, $"{Brightline.Kernel.UkFormat.ShortDateTime(o.CreatedAt)} by {o.CreatedBy}", o.Expires is { } x ? Brightline.Kernel.UkFormat.ShortDateTime(x) : "—"]),
            "None.");
        var from = period.From;
        var until = period.Until;
        var decided = await db.Set<FilterRequest>().AsNoTracking()
            .Where(r => r.SchoolId == schoolId && r.DecidedAt != null && r.DecidedAt >= from && r.DecidedAt < until)
            .Select(r => new { r.Kind, r.Host, r.Status, r.Category, r.DecidedAt, r.DecidedBy, r.DecisionNote, r.TargetProfile })
            .ToListAsync(cancellationToken);
        html.Table("request-decisions", "Unblock requests and reported misses decided in the period", ["Site", "Request", "Decision", "Category", "Profile", "Decided", "Why"],
            decided.OrderBy(r => r.DecidedAt).Select(r => (IReadOnlyList<string>)
                [r.Host, r.Kind == FilterRequestKind.Unblock ? "unblock" : "reported miss", r.Status.Key(), r.Category ?? "—", r.TargetProfile ?? "—",
                 $"{Brightline.Kernel.UkFormat.ShortDateTime(r.DecidedAt!.Value)} by {r.DecidedBy}", r.DecisionNote ?? "—"]));
        var filter = filters.Find(schoolId);
        html.Table("lists", "Blocklists loaded", ["List", "Format", "Category", "Names"],
            policy.Filtering.Lists.Select(l => (IReadOnlyList<string>)
                [l.Name, PolicyNames.ToSnake(l.Format), l.Category ?? "by folder", filter?.ListSizes.TryGetValue(l.Name, out var n) == true ? ReportHtml.N(n) : "not loaded"]),
            "The policy loads no lists.");

        html.Heading(2, "Self-test of the live DNS filter", "self-test")
            .Para($"Run {Brightline.Kernel.UkFormat.DateTime(test.At)} against {test.DnsEndPoint ?? "no running DNS filter"}: "
                + $"{ReportHtml.N(test.Passed)} passed, {ReportHtml.N(test.Failed)} failed, {ReportHtml.N(test.NotRun)} not run. "
                + "Each sample name from the school's own lists was sent as a real DNS query from an address in the group's network and "
                + "the answer compared with what the policy expects for that group at that moment.");
        if (withoutSelfTest is not null)
        {
            html.Para($"The self-test did not run. {actor} stored this pack without it, giving the reason: {withoutSelfTest}");
        }

        html.Table("self-test-results", "Self-test results by group and category", ["Group", "Category", "Sample", "From", "Expected", "Answer", "Result"],
            test.Rows.Where(r => r.Sample is not null && r.From is not null).Select(r => (IReadOnlyList<string>)
                [r.Group, r.Category, r.Sample!, r.From!, r.ExpectedBlocked == true ? "blocked" : "allowed",
                 r.Blocked is null ? "no answer" : r.Blocked == true ? "blocked" : "allowed", $"{DescribeResult(r.Result)}: {r.Detail}"]),
            "No query could be sent; see below.");
        var notRun = test.Rows.Where(r => r.Result == SelfTestResults.NotRun)
            .GroupBy(r => r.Detail, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<string>)[g.Key, string.Join(", ", g.Select(r => r.Sample is null ? r.Category : $"{r.Group}/{r.Category}").Distinct(StringComparer.Ordinal).Take(60))]);
        html.Table("self-test-not-run", "Not run, and why", ["Reason", "Groups and categories"], notRun, "Every combination was tested.");

        html.Heading(2, "Incidents and alerts in the period", "summary");
        GovernorsReport.WriteSummary(html, summary);

        html.Heading(2, "Actions agreed", "actions");
        foreach (var line in actions.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            html.Para(line);
        }

        return html.Body;
    }

    private static string Describe(string role) => role switch
    {
        RoleKeys.ChairOfGovernors => "Chair of governors",
        RoleKeys.Bursar => "Bursar",
        _ => PortalRoles.Describe(role),
    };

    private static string Describe(FilterSchedulePolicy s)
    {
        var what = s.BlockAll ? "block everything" : string.Join(", ", s.Block.Select(b => $"block {b}").Concat(s.Unblock.Select(u => $"allow {u}")));
        var when = s.Times.Count == 0 ? "all day" : string.Join(", ", s.Times.Select(t => $"{t.From:HH\\:mm}–{t.To:HH\\:mm}"));
        return $"{s.Name}: {what}, {when}";
    }

    private static string DescribeResult(string result) => result switch
    {
        SelfTestResults.Pass => "pass",
        SelfTestResults.Fail => "FAIL",
        _ => "not run",
    };
}
