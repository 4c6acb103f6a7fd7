using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Brightline.Portal;
using Brightline.Safeguarding;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Demo;

/// <summary>
/// The DSL's alert queue for the demo school (issue 17 defect 8): a fortnight of what the browser extension and a shared
/// laptop reported, scored by the real matcher into alerts of several categories and severities, some still open and some
/// triaged with the DSL's notes and outcomes. The words are the mild, non-graphic sort a primary school really sees.
/// Events go in through the ingestion writer and are scored by <see cref="AlertProcessor"/>, as the ingestion API does;
/// the triage is recorded by <see cref="AlertQueue"/> as the DSL, as the alert page does.
/// </summary>
internal static class DemoSafeguarding
{
    private const string Dsl = "s.okafor@example-primary.example.org";

    private sealed record DemoEvent(string Year, int Nth, MonitoringEventKind Kind, bool FromExtension, int DaysAgo, string Url, string? Title, string? Query, string? Text);

    private static readonly DemoEvent[] s_events =
    [
        new("6", 0, MonitoringEventKind.Search, true, 1, "https://www.google.com/search", "Google", "nobody would miss me", null),
        new("5", 1, MonitoringEventKind.TypedText, true, 3, "https://www.roblox.com/games", "Roblox", null, "dont tell your parents about our chats, it is our secret"),
        new("4", 2, MonitoringEventKind.TypedText, false, 8, "https://docs.google.com/document", "Class 4 story ideas", null, "nobody likes you and you cant sit with us at lunch"),
        new("6", 3, MonitoringEventKind.Search, false, 12, "https://www.bing.com/search", "Bing", "how to hack my teachers password", null),
        new("5", 4, MonitoringEventKind.Url, true, 15, "https://poki.com/en/g/slots", "Free spins slot game", null, null),
    ];

    public static async Task SeedAsync(IServiceProvider services, string schoolId, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<BrightlineDbContext>();
        var pupils = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.LeftOn == null && p.YearGroup != null)
            .OrderBy(p => p.ExternalId).ToListAsync(cancellationToken);
        if (pupils.Count == 0)
        {
            return;
        }

        var tokens = services.GetRequiredService<DeviceTokens>();
        var extension = await tokens.IssueAsync(schoolId, "Chrome extension on the Year 5 and 6 Chromebooks", DemoSeeder.Actor, null, cancellationToken);
        var laptop = await tokens.IssueAsync(schoolId, "Shared laptop, ICT suite", DemoSeeder.Actor, null, cancellationToken);
        var now = StoredTime.Now(time);
        var writer = services.GetRequiredService<IngestionWriter>();
        var byDevice = new Dictionary<Guid, List<MonitoringEvent>>();
        var subjects = new List<Guid>();
        foreach (var (e, i) in s_events.Select((e, i) => (e, i)))
        {
            var pupil = pupils.Where(p => p.YearGroup == e.Year).Skip(e.Nth).FirstOrDefault() ?? pupils[i % pupils.Count];
            subjects.Add(pupil.Id);
            var device = e.FromExtension ? extension.Device.Id : laptop.Device.Id;
            var at = now.AddDays(-e.DaysAgo).AddMinutes(-37 * (i + 1));
            (byDevice.TryGetValue(device, out var list) ? list : byDevice[device] = []).Add(new MonitoringEvent
            {
                SchoolId = schoolId, DeviceId = device, ClientEventId = $"demo-{i + 1}", Kind = e.Kind, OccurredAt = at, ReceivedAt = at.AddSeconds(4),
                PersonId = pupil.Id, ClientAddress = $"10.20.21.{60 + i}", Url = e.Url, Title = e.Title, Query = e.Query, Text = e.Text,
                Application = e.FromExtension ? "Chrome" : "Edge",
            });
        }

        foreach (var (device, events) in byDevice)
        {
            await writer.StoreAsync(schoolId, device, events, now, cancellationToken);
        }

        await services.GetRequiredService<AlertProcessor>().ScorePendingAsync(cancellationToken);

        // The DSL has worked through the older alerts: a note on one still open, outcomes on the rest.
        var dslPerson = await db.People.AsNoTracking().Where(p => p.SchoolId == schoolId && p.Email == Dsl).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        await using var dsl = DemoStaff.SignIn(services, schoolId, Dsl, dslPerson, PortalRoles.Dsl);
        var queue = dsl.Services.GetRequiredService<AlertQueue>();
        async Task<long?> AlertOf(int n) => await db.Set<MonitoringAlert>().AsNoTracking()
            .Where(a => a.SchoolId == schoolId && a.PersonId == subjects[n]).OrderBy(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken);

        if (await AlertOf(1) is { } grooming)
        {
            await queue.AddNoteAsync(grooming, "Spoke to the pupil with the class teacher. The message came from an unknown player in an online game; parents phoned and the account reported to the game. Watching for further contact.", cancellationToken);
        }

        if (await AlertOf(2) is { } unkind)
        {
            await queue.RecordOutcomeAsync(unkind, "resolved", "Class teacher spoke to the pupils involved; apology made and parents told. Recorded as a behaviour incident.", cancellationToken);
        }

        if (await AlertOf(3) is { } hacking)
        {
            await queue.RecordOutcomeAsync(hacking, "no-action", "Curiosity after a computing lesson on passwords; reminded of the acceptable use agreement.", cancellationToken);
        }

        if (await AlertOf(4) is { } advert)
        {
            await queue.RecordOutcomeAsync(advert, "false-positive", "An advert on a games site, not something the pupil searched for; games site already blocked for pupils.", cancellationToken);
        }
    }
}
