using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Email;
using Brightline.Tests.Infrastructure;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Email;

/// <summary>
/// Architecture issue, item 6: email is a row written in the caller's transaction and sent by a worker. Real
/// databases (both), a real SMTP sink, a manual clock; a "crash" is a server stopped with committed, unsent mail.
/// </summary>
public sealed class EmailOutboxTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Enqueue_InATransactionThatRollsBack_SendsNothing(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var email = scope.ServiceProvider.GetRequiredService<EmailSender>();
            await using var tx = await db.Database.BeginTransactionAsync();
            email.Enqueue(TestSchool.Id, "rolled.back@school.test", "Rolled back", "This change never happened.", "test", null).ShouldBeTrue();
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }

        await EnqueueAndSaveAsync(server, "committed@school.test", "Committed");
        await server.DeliverEmailAsync();

        var messages = server.Smtp.Messages();
        messages.ShouldContain(m => m.Contains("Subject: Committed", StringComparison.Ordinal), "the control message, committed, is sent");
        messages.ShouldNotContain(m => m.Contains("rolled.back@school.test", StringComparison.OrdinalIgnoreCase));
        var (outbox, log) = await RowsAsync(server);
        outbox.ShouldHaveSingleItem().Recipient.ShouldBe("committed@school.test");
        log.ShouldHaveSingleItem().Recipient.ShouldBe("committed@school.test");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CommittedEmail_ServerStoppedBeforeSending_IsSentOnceByTheNextServer(DatabaseProvider provider)
    {
        string connectionString;
        await using (var first = await StartAsync(provider, new() { ["Brightline:Email:Worker"] = "false" }))
        {
            connectionString = first.App.Configuration["Brightline:Database:ConnectionString"]!;
            await EnqueueAndSaveAsync(first, "dsl@school.test", "Survives a crash");
            first.Smtp.Messages().ShouldBeEmpty("this server runs no outbox worker");
            var (outbox, log) = await RowsAsync(first);
            outbox.ShouldHaveSingleItem().State.ShouldBe(EmailOutboxState.Pending);
            log.ShouldHaveSingleItem().Sent.ShouldBeFalse();
        }

        await using var second = await StartAsync(provider, new() { ["Brightline:Database:ConnectionString"] = connectionString }, loadPolicy: false);
        var mail = await second.Smtp.WaitForAsync(m => m.Contains("Subject: Survives a crash", StringComparison.Ordinal));
        mail.ShouldContain("dsl@school.test");
        await second.DeliverEmailAsync();
        second.Smtp.Messages().Count(m => m.Contains("Subject: Survives a crash", StringComparison.Ordinal)).ShouldBe(1, "sent once");

        var (rows, records) = await RowsAsync(second);
        var row = rows.ShouldHaveSingleItem();
        row.State.ShouldBe(EmailOutboxState.Sent);
        row.Attempts.ShouldBe(1);
        row.SentAt.ShouldNotBeNull();
        row.TextBody.ShouldBeEmpty("a sent message's body (which may hold a countersign link) is not kept");
        var record = records.ShouldHaveSingleItem();
        record.Sent.ShouldBeTrue();
        record.Error.ShouldBeNull();
        record.At.ShouldBe(row.SentAt!.Value, "the email log shows when it was sent");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SmtpUnreachable_RowIsRetriedWithBackOff_ThenDeliveredWhenASinkIsUp(DatabaseProvider provider)
    {
        string connectionString;
        await using (var down = await StartAsync(provider, new()
        {
            ["Brightline:Email:Worker"] = "false",
            ["Brightline:Email:SmtpPort"] = SmtpSink.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }))
        {
            connectionString = down.App.Configuration["Brightline:Database:ConnectionString"]!;
            await EnqueueAndSaveAsync(down, "head@school.test", "Retried");

            (await down.DeliverEmailAsync()).ShouldBe(0);
            var row = (await RowsAsync(down)).Outbox.ShouldHaveSingleItem();
            row.State.ShouldBe(EmailOutboxState.Pending);
            row.Attempts.ShouldBe(1);
            row.LastError.ShouldNotBeNullOrEmpty();
            row.NextAttemptAt.ShouldBe(Start + EmailOutboxDispatcher.RetryDelay(1));
            row.ClaimedUntil.ShouldBeNull();
            var record = (await RowsAsync(down)).Log.ShouldHaveSingleItem();
            record.Sent.ShouldBeFalse();
            record.Error.ShouldNotBeNull().ShouldStartWith("Not sent yet (attempt 1 of 8");

            (await down.DeliverEmailAsync()).ShouldBe(0);
            (await RowsAsync(down)).Outbox.Single().Attempts.ShouldBe(1, "not due again until the back-off has passed");
            down.Clock.Advance(EmailOutboxDispatcher.RetryDelay(1));
            (await down.DeliverEmailAsync()).ShouldBe(0);
            row = (await RowsAsync(down)).Outbox.Single();
            row.Attempts.ShouldBe(2);
            row.NextAttemptAt.ShouldBe(Start + EmailOutboxDispatcher.RetryDelay(1) + EmailOutboxDispatcher.RetryDelay(2));
        }

        // The mail server is back (a new process on the same database, with the worker on, after the back-off).
        await using var up = await StartAsync(provider, new() { ["Brightline:Database:ConnectionString"] = connectionString }, loadPolicy: false,
            now: Start + TimeSpan.FromHours(1));
        await up.Smtp.WaitForAsync(m => m.Contains("Subject: Retried", StringComparison.Ordinal));
        await up.DeliverEmailAsync();
        up.Smtp.Messages().Count.ShouldBe(1);
        var (outbox, log) = await RowsAsync(up);
        outbox.Single().State.ShouldBe(EmailOutboxState.Sent);
        outbox.Single().Attempts.ShouldBe(3);
        log.Single().Sent.ShouldBeTrue();
        log.Single().Error.ShouldBeNull();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SmtpUnreachable_AfterMaxAttempts_IsMarkedFailedInTheEmailLog(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider, new()
        {
            ["Brightline:Email:Worker"] = "false",
            ["Brightline:Email:MaxAttempts"] = "2",
            ["Brightline:Email:SmtpPort"] = SmtpSink.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await EnqueueAndSaveAsync(server, "bursar@school.test", "Given up", attachment: true);

        await server.DeliverEmailAsync();
        server.Clock.Advance(EmailOutboxDispatcher.RetryDelay(1));
        await server.DeliverEmailAsync();
        var failedAt = server.Clock.GetUtcNow();
        server.Clock.Advance(TimeSpan.FromDays(2));
        await server.DeliverEmailAsync();

        var (outbox, log) = await RowsAsync(server);
        var row = outbox.ShouldHaveSingleItem();
        row.State.ShouldBe(EmailOutboxState.Failed);
        row.Attempts.ShouldBe(2, "no attempt after the last");
        row.LastError.ShouldNotBeNullOrEmpty();
        row.TextBody.ShouldBeEmpty();
        var record = log.ShouldHaveSingleItem();
        record.Sent.ShouldBeFalse();
        record.At.ShouldBe(failedAt);
        record.Error.ShouldNotBeNull().ShouldStartWith("Gave up after 2 attempt(s):");
        await using var scope = server.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().Set<EmailOutboxAttachment>().CountAsync())
            .ShouldBe(0, "a finished message's attachments are not kept");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Enqueue_NeverCommitsTheCallersOtherPendingChanges(DatabaseProvider provider)
    {
        await using var server = await StartAsync(provider);
        await TestSchool.ImportAsync(server, Brightline.People.ImportKind.Pupils, TestSchool.PupilsCsv);
        var amelia = await TestSchool.PersonAsync(server, "A001");

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            var person = await db.People.SingleAsync(p => p.Id == amelia.Id);
            person.GivenName = "Changed but never saved";
            scope.ServiceProvider.GetRequiredService<EmailSender>()
                .Enqueue(TestSchool.Id, "parent@school.test", "Not saved either", "body", "test", amelia.Id).ShouldBeTrue();
            // The caller walks away without saving: neither its change nor the email may reach the database.
        }

        (await TestSchool.PersonAsync(server, "A001")).GivenName.ShouldBe(amelia.GivenName);
        var (outbox, log) = await RowsAsync(server);
        outbox.ShouldBeEmpty();
        log.ShouldBeEmpty();
        await server.DeliverEmailAsync();
        server.Smtp.Messages().ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CommitOfATransactionThatQueuedEmail_WakesTheWorker_WithoutWaitingForThePoll(DatabaseProvider provider)
    {
        // The manual clock never reaches the poll interval, so only the commit's signal can start the pass.
        await using var server = await StartAsync(provider, new() { ["Brightline:Email:PollSeconds"] = "3600" });

        await using (var scope = server.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            scope.ServiceProvider.GetRequiredService<EmailSender>().Enqueue(TestSchool.Id, "dsl@school.test", "Woken by the commit", "A link only.", "test", null);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await server.Smtp.WaitForAsync(m => m.Contains("Subject: Woken by the commit", StringComparison.Ordinal));
        await server.DeliverEmailAsync(); // waits for the worker's pass to record what it sent
        (await RowsAsync(server)).Log.ShouldHaveSingleItem().Sent.ShouldBeTrue();
    }

    private static async Task<BrightlineServer> StartAsync(
        DatabaseProvider provider, Dictionary<string, string?>? settings = null, bool loadPolicy = true, DateTimeOffset? now = null)
    {
        var server = await BrightlineServer.StartAsync(provider, now ?? Start, settings);
        if (loadPolicy)
        {
            await TestSchool.LoadPolicyAsync(server);
        }

        return server;
    }

    private static async Task EnqueueAndSaveAsync(BrightlineServer server, string to, string subject, bool attachment = false)
    {
        await using var scope = server.CreateScope();
        var email = scope.ServiceProvider.GetRequiredService<EmailSender>();
        email.Enqueue(TestSchool.Id, to, subject, $"{subject}: a link only.", "test", null,
            attachment ? [new EmailAttachment("report.pdf", "application/pdf", "%PDF-1.4 test"u8.ToArray())] : []).ShouldBeTrue();
        await scope.ServiceProvider.GetRequiredService<BrightlineDbContext>().SaveChangesAsync();
    }

    private static async Task<(List<EmailOutboxMessage> Outbox, List<EmailRecord> Log)> RowsAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return (await db.EmailOutbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync(), await db.EmailRecords.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
    }
}
