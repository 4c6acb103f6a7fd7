using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Safeguarding;
using Brightline.Tests.Email;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;
using static Brightline.Tests.Monitoring.MonitoringTestKit;

namespace Brightline.Tests.Monitoring;

/// <summary>C10's weekly digest: on the policy's day and time, to the digest roles, no detail in the body, a PDF attached, once.</summary>
public sealed class DigestTests
{
    private const string Subject = "Weekly monitoring digest";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Digest_OnFridayAt1600_GoesOnceToTheDigestRoles_WithAPdfAndNoDetailInTheBody(DatabaseProvider provider)
    {
        await using var server = await StartSchoolAsync(provider);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var amelia = await TestSchool.PersonAsync(server, "A001");
        var leo = await TestSchool.PersonAsync(server, "A004");
        await PostAsync(agent, Event("a1", text: "i want to die tonight", person: amelia.Id), Event("l1", text: "you are a loser and everyone hates you", person: leo.Id));
        await ScoreAsync(server);
        (await AllAsync<MonitoringAlert>(server)).Count.ShouldBe(2);

        (await SendDueAsync(server)).ShouldBe(0, "Wednesday: last Friday's digest is too old to send late, this Friday's is not due");
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 15, 59, 0, TimeSpan.Zero));
        (await SendDueAsync(server)).ShouldBe(0, "a minute early");
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count(IsDigest).ShouldBe(0);

        server.Clock.Advance(TimeSpan.FromMinutes(2));
        (await SendDueAsync(server)).ShouldBe(1);
        await server.DeliverEmailAsync();
        var digests = server.Smtp.Messages().Where(IsDigest).ToList();
        digests.Select(Recipient).ShouldBe(
            [
                "sbm@example-primary.example.org", // business manager (policy)
                "h.marsh@school.test", "head@example-primary.example.org", // head (staff import, policy)
                "s.okafor@example-primary.example.org", // DSL (policy; the head holds dsl too)
                "t.hughes@example-primary.example.org", // deputy DSL
                "priya.patel@school.test", "p.shah@example-primary.example.org", // computing lead (staff import, policy)
            ],
            ignoreOrder: true);

        foreach (var mail in digests)
        {
            var body = Normalise(mail)[..Normalise(mail).IndexOf("Content-Type: application/pdf", StringComparison.Ordinal)];
            body.ShouldContain("2 alerts raised", Case.Sensitive);
            body.ShouldContain("/monitoring", Case.Sensitive);
            foreach (var secret in new[] { "die", "self-harm", "bullying", "loser", "Amelia", "Jones", "Leo", "Khan" })
            {
                body.ShouldNotContain(secret, Case.Insensitive);
            }
        }

        var pdf = Attachment(digests[0], "application/pdf");
        pdf.AsSpan(0, 4).SequenceEqual("%PDF"u8).ShouldBeTrue();
        var text = PdfText.Of(pdf);
        text.ShouldContain("self-harm", Case.Sensitive);
        text.ShouldContain("want to die", Case.Sensitive);
        text.ShouldContain("Amelia Jones", Case.Insensitive);
        text.ShouldContain("25/11/2026 09:55", Case.Sensitive);

        // Not twice: later the same day, or after a restart (a new scope reads what was recorded).
        (await SendDueAsync(server)).ShouldBe(0);
        server.Clock.Advance(TimeSpan.FromHours(3));
        (await SendDueAsync(server)).ShouldBe(0);
        await server.DeliverEmailAsync();
        server.Smtp.Messages().Count(IsDigest).ShouldBe(7);
        var recorded = (await AllAsync<MonitoringDigest>(server)).Single();
        recorded.PeriodEnd.ShouldBe(new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero));
        recorded.RecipientCount.ShouldBe(7);
        recorded.Format.ShouldBe(DigestFormat.Pdf);
        (await AllAsync<AuditEntry>(server)).Single(e => e.Action == WeeklyDigest.AuditAction).Detail!
            .ShouldContain("2 alert(s), 7 recipient(s), pdf report", Case.Sensitive);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Digest_PolicyDayTimeAndRoles_WithoutChromium_AttachesTheHtmlReport(DatabaseProvider provider)
    {
        var server = await BrightlineServer.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Brightline:Monitoring:Worker"] = "false",
            ["Brightline:Chromium:Path"] = "/nonexistent/chromium",
        });
        await using var _ = server;
        await TestSchool.LoadPolicyAsync(server, TestSchool.ExampleYaml + """

            monitoring:
              digest: { day: monday, time: "08:30", roles: [dsl] }
            """);
        await TestSchool.ImportAsync(server, Brightline.People.ImportKind.Pupils, TestSchool.PupilsCsv);
        await TestSchool.ImportAsync(server, Brightline.People.ImportKind.Staff, TestSchool.StaffCsv);
        using var agent = DeviceClient(server, await IssueTokenAsync(server));
        var amelia = await TestSchool.PersonAsync(server, "A001");
        await PostAsync(agent, Event("a1", text: "i want to die tonight", person: amelia.Id));
        await ScoreAsync(server);

        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 16, 30, 0, TimeSpan.Zero));
        (await SendDueAsync(server)).ShouldBe(0, "not Friday for this school");
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 31, 0, TimeSpan.Zero));
        (await SendDueAsync(server)).ShouldBe(1);
        await server.DeliverEmailAsync();
        var digests = server.Smtp.Messages().Where(IsDigest).ToList();
        digests.Select(Recipient).ShouldBe(["h.marsh@school.test", "s.okafor@example-primary.example.org"], ignoreOrder: true);
        var html = System.Text.Encoding.UTF8.GetString(Attachment(digests[0], "text/html"));
        html.ShouldContain("want to die", Case.Sensitive);
        (await AllAsync<MonitoringDigest>(server)).Single().Format.ShouldBe(DigestFormat.Html);
    }

    [Fact]
    public void LastOccurrence_UsesUkLocalTime()
    {
        // 16:00 in London in July is 15:00 UTC.
        WeeklyDigest.LastOccurrence(new DateTimeOffset(2026, 7, 3, 15, 30, 0, TimeSpan.Zero), DayOfWeek.Friday, new TimeOnly(16, 0))
            .ShouldBe(new DateTimeOffset(2026, 7, 3, 15, 0, 0, TimeSpan.Zero));
        WeeklyDigest.LastOccurrence(new DateTimeOffset(2026, 7, 3, 14, 30, 0, TimeSpan.Zero), DayOfWeek.Friday, new TimeOnly(16, 0))
            .ShouldBe(new DateTimeOffset(2026, 6, 26, 15, 0, 0, TimeSpan.Zero));
    }

    private static bool IsDigest(string mail) => mail.Contains($"Subject: {Subject}", StringComparison.Ordinal);

    private static string Recipient(string mail)
    {
        var start = mail.IndexOf("X-Rcpt-Args: <", StringComparison.Ordinal) + "X-Rcpt-Args: <".Length;
        return mail[start..mail.IndexOf('>', start)];
    }

    private static string Normalise(string mail) => mail.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static byte[] Attachment(string mail, string mediaType)
    {
        var text = Normalise(mail);
        var part = text.IndexOf($"Content-Type: {mediaType}", StringComparison.Ordinal);
        part.ShouldBeGreaterThan(0, $"no {mediaType} attachment");
        var start = text.IndexOf("\n\n", part, StringComparison.Ordinal) + 2;
        var end = text.IndexOf("\n--", start, StringComparison.Ordinal);
        return Convert.FromBase64String(text[start..end].Replace("\n", "", StringComparison.Ordinal));
    }


    private static async Task<int> SendDueAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<WeeklyDigest>().SendDueAsync(CancellationToken.None);
    }
}
