using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Dns.Logging;
using Brightline.Dns.Policy;
using Brightline.Dns.Wire;
using Brightline.Kernel;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// Three weeks of web filtering for the demo school (issue 17 defect 8). The demo runs no DNS server (the example policy
/// has <c>filtering.dns.enabled: false</c>), so each name a pupil or member of staff "looked up" is decided by the DNS
/// filter's own policy (<see cref="FilterDnsPolicy.DecideForPersonAsync"/>: the person's groups, the gate, sanctions,
/// schedules and lists) and written by the decision log's own writer (<see cref="DnsDecisionStore"/>), exactly as the
/// running server records a query. The unblock requests and a reported miss go through the block page's service, so
/// their audit entries, the miss's filter-report incident and the new local allow entry are those of real use.
/// </summary>
internal static class DemoFiltering
{
    /// <summary>Sites a primary school's pupils and staff look up: learning sites, and the usual things a filter stops.</summary>
    private static readonly string[] s_pupilHosts =
    [
        "www.bbc.co.uk", "www.topmarks.co.uk", "scratch.mit.edu", "www.google.com", "www.youtube.com", "en.wikipedia.org", "www.oxfordowl.co.uk",
        "www.roblox.com", "poki.com", "www.tiktok.com", "discord.com", "www.instagram.com", "doubleclick.net", "www.bbc.co.uk", "www.google.com",
    ];

    private static readonly string[] s_staffHosts =
    [
        "www.bbc.co.uk", "www.google.com", "www.youtube.com", "outlook.office.com", "www.facebook.com", "mail.yahoo.com", "www.tes.com",
        "www.bet365.com", "www.gov.uk", "www.instagram.com",
    ];

    /// <summary>Reception's walled garden, KS1, lower and upper KS2: one profile each.</summary>
    private static readonly string[] s_years = ["R", "2", "4", "6"];

    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var school = await services.GetRequiredService<FilterService>().GetAsync(schoolId, cancellationToken);
        var policy = services.GetRequiredService<FilterDnsPolicy>();
        var people = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null)
            .OrderBy(p => p.ExternalId).ToListAsync(cancellationToken);
        var pupils = s_years
            .SelectMany(year => people.Where(p => p.YearGroup == year).Take(2)).ToList();
        var staff = people.Where(p => p.YearGroup is null && p.ClassName is not null).Take(3).ToList();
        var today = SchoolClock.DateOf(StoredTime.Now(time));
        var records = new List<DnsDecisionRecord>();
        var n = 0;
        foreach (var (person, hosts, subnet) in pupils.Select(p => (p, s_pupilHosts, 21)).Concat(staff.Select(s => (s, s_staffHosts, 30))))
        {
            var client = IPAddress.Parse($"10.20.{subnet}.{40 + (n % 200)}");
            for (var i = 0; i < hosts.Length; i++, n++)
            {
                // School days over the last three weeks, in lesson time (UK), so the date filters and paging have something to do.
                var day = today.AddDays(-((n * 5) % 21));
                if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    day = day.AddDays(day.DayOfWeek == DayOfWeek.Saturday ? -1 : -2);
                }

                var at = SchoolClock.FromUk(day.ToDateTime(new TimeOnly(9 + (n % 6), (n * 7) % 60)));
                if (at > time.GetUtcNow())
                {
                    at = at.AddDays(-7);
                }

                var answer = await policy.DecideForPersonAsync(school, person.Id, hosts[i], path: null, cancellationToken);
                if (answer is null)
                {
                    continue;
                }

                records.Add(Record(at, client, hosts[i], answer));
            }
        }

        await services.GetRequiredService<DnsDecisionStore>().WriteAsync(records, cancellationToken);
        await RequestsAsync(services, school, pupils, staff, cancellationToken);
    }

    /// <summary>What the DNS server's query processor records for an answer (<c>DnsQueryProcessor</c>).</summary>
    private static DnsDecisionRecord Record(DateTimeOffset at, IPAddress client, string host, DnsPolicyAnswer answer)
    {
        var (decision, code) = answer.Action switch
        {
            DnsPolicyAction.Forward => (DnsDecision.Forwarded, DnsResponseCode.NoError),
            DnsPolicyAction.BlockWithAddress => (DnsDecision.Blocked, DnsResponseCode.NoError),
            DnsPolicyAction.BlockWithNxDomain => (DnsDecision.BlockedNxDomain, DnsResponseCode.NXDomain),
            DnsPolicyAction.Rewrite => (DnsDecision.Rewritten, DnsResponseCode.NoError),
            DnsPolicyAction.Portal => (DnsDecision.Portal, DnsResponseCode.NoError),
            DnsPolicyAction.Refuse => (DnsDecision.Refused, DnsResponseCode.Refused),
            _ => (DnsDecision.Refused, DnsResponseCode.Refused),
        };
        var p = answer.Payload;
        return new DnsDecisionRecord(at, client, host, DnsRecordType.A, DnsTransport.Udp, decision, code, p.Category, p.Reason, p.Profile, p.Person,
            TimeSpan.FromMilliseconds(2), p.School);
    }

    /// <summary>Unblock requests in each state, and a site reported as missed, as the block page makes them.</summary>
    private static async Task RequestsAsync(IServiceProvider services, SchoolFilter school, List<Person> pupils, List<Person> staff, CancellationToken cancellationToken)
    {
        var requests = services.GetRequiredService<FilterRequestService>();
        var lead = school.Policy.Roles.ComputingLead?.Email ?? DemoSeeder.Actor;
        async Task<Brightline.Data.Entities.FilterRequest?> Ask(Person person, FilterRequestKind kind, string host, string reason, string? category = null)
        {
            var client = await requests.ClientAsync(IPAddress.Parse("10.20.21.40"), school.SchoolId, person.Id, cancellationToken);
            return client is null ? null : await requests.CreateAsync(client, kind, host, reason, category, person.Email ?? $"block page ({client.Address})", cancellationToken);
        }

        var reception = pupils.FirstOrDefault(p => p.YearGroup == "R");
        var year4 = pupils.FirstOrDefault(p => p.YearGroup == "4");
        var year6 = pupils.FirstOrDefault(p => p.YearGroup == "6");
        var teacher = staff.FirstOrDefault();
        if (reception is null || year4 is null || year6 is null || teacher is null)
        {
            return;
        }

        // Waiting: a Year 4 maths game, and a teacher's video site during teaching hours.
        await Ask(year4, FilterRequestKind.Unblock, "poki.com", "Our teacher said we could play the times tables game in golden time.");
        await Ask(teacher, FilterRequestKind.Unblock, "www.tiktok.com", "A short clip for the Year 5 media literacy lesson on spotting fake news.");

        // Approved: Reception's reading books (the walled garden blocks everything not on its list).
        if (await Ask(reception, FilterRequestKind.Unblock, "www.oxfordowl.co.uk", "Reading books at home and in class (Oxford Owl e-books).") is { } approved)
        {
            await requests.ApproveAsync(school.SchoolId, approved.Id, "reception", null, "Phonics scheme's e-books; checked by the computing lead.", lead, null, cancellationToken);
        }

        // Refused: a chat service for Year 6.
        if (await Ask(year6, FilterRequestKind.Unblock, "discord.com", "Our coding club wants to talk about our Scratch games.") is { } refused)
        {
            await requests.DeclineAsync(school.SchoolId, refused.Id,
                "Discord is for over-13s and is blocked for pupils under rule pupil-kind-online. The coding club can share projects in a Scratch studio instead.",
                lead, null, cancellationToken);
        }

        // A site the filter let through that a teacher thinks it should not: recorded as a filter report too (O20).
        await Ask(teacher, FilterRequestKind.Miss, "funny-pranks-videos.example.com", "Pupils found prank videos with strong language on this site during wet play.", "streaming");
    }
}
