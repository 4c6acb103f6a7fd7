using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Tests.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Brightline.Tests.Data;

/// <summary>
/// Issue 11 item 5: states are enums stored as the words the columns always held, and the lists that were
/// comma-separated text are JSON arrays (V0015). Rows written before the change read back as they were meant;
/// a stored value this build does not know fails loudly, naming the value and the column.
/// </summary>
public sealed class StoredValueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Migrate_V0015_CommaSeparatedListsReadBackAsTheSameLists(DatabaseProvider provider)
    {
        var connectionString = await TestDatabases.CreateAsync(provider);
        Guid[] expectedIncidents;
        await using (var db = BrightlineDbContextOptions.Create(provider, connectionString))
        {
            await MigrateUpToAsync(db, provider, 14);
            // The rows are written with the columns a V0014 database has (today's model has columns added since).
            var stamp = provider == DatabaseProvider.Sqlite ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(Now)! : Now;
            var personId = Guid.NewGuid();
            await db.Database.ExecuteSqlAsync($"INSERT INTO schools (\"Id\", \"Name\", \"CreatedAt\") VALUES ({TestSchool.Id}, 'Stored values school', {stamp})");
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO people ("Id", "SchoolId", "ExternalId", "Source", "GivenName", "FamilyName", "KindMask", "JoinedOn", "CreatedAt", "UpdatedAt")
                VALUES ({personId}, {TestSchool.Id}, 'P1', 'test', 'Amelia', 'Stone', 1, {new DateOnly(2026, 9, 1)}, {stamp}, {stamp})
                """);
            string?[] ruleIds = ["A3,C11", " A3 , C11 ,", "pupil-tell-adult", "", null, ",,"];
            for (var n = 0; n < ruleIds.Length; n++)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO incidents ("Id", "SchoolId", "Kind", "Title", "Status", "CreatedAt", "CreatedBy")
                    VALUES ({Guid.NewGuid()}, {TestSchool.Id}, 'behaviour', {$"incident {n}"}, 'open', {stamp}, 'dsl@school.test')
                    """);
            }

            string?[] categories = ["games,webmail", "social-networking", null];
            for (var n = 0; n < categories.Length; n++)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO sanctions ("Id", "SchoolId", "PersonId", "Kind", "Reason", "ImposedBy", "ImposedAt", "StartsAt")
                    VALUES ({Guid.NewGuid()}, {TestSchool.Id}, {personId}, 'restrict_categories', {$"sanction {n}"}, 'head@school.test', {stamp}, {stamp})
                    """);
            }

            var (unblock, unrestricted, exemption) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            foreach (var (id, type) in new[] { (unblock, "class_unblock"), (unrestricted, "unrestricted"), (exemption, "exemption") })
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO approval_requests ("Id", "SchoolId", "TypeId", "Kind", "Status", "RequestedBy", "Reason", "VoucherCount", "DurationMinutes", "CreatedAt")
                    VALUES ({id}, {TestSchool.Id}, {type}, {type}, 'active', 'lead@school.test', 'A lesson', 0, 0, {stamp})
                    """);
            }

            // What V0006 to V0014 stored: the text as it was written then (the model now writes JSON).
            for (var n = 0; n < ruleIds.Length; n++)
            {
                await db.Database.ExecuteSqlAsync($"UPDATE incidents SET \"RuleIds\" = {ruleIds[n]} WHERE \"Title\" = {$"incident {n}"}");
            }

            for (var n = 0; n < categories.Length; n++)
            {
                await db.Database.ExecuteSqlAsync($"UPDATE sanctions SET \"Categories\" = {categories[n]} WHERE \"Reason\" = {$"sanction {n}"}");
            }

            await db.Database.ExecuteSqlAsync($"UPDATE approval_requests SET \"IncidentIds\" = NULL, \"FilterOverrideIds\" = NULL");
            await db.Database.ExecuteSqlAsync($"UPDATE approval_requests SET \"FilterOverrideIds\" = '12,13' WHERE \"Id\" = {unblock}");
            var (log, register) = (Guid.NewGuid(), Guid.NewGuid());
            await db.Database.ExecuteSqlAsync($"UPDATE approval_requests SET \"IncidentIds\" = {$"{log},{register}"} WHERE \"Id\" = {unrestricted}");

            (await DatabaseMigrator.MigrateAsync(db, provider, CancellationToken.None)).ShouldBeGreaterThan(0);
            expectedIncidents = [log, register];
        }

        await using var read = BrightlineDbContextOptions.Create(provider, connectionString);
        var incidents = await read.Set<Incident>().AsNoTracking().ToDictionaryAsync(i => i.Title, i => i.RuleIds);
        incidents["incident 0"].ShouldBe(["A3", "C11"]);
        incidents["incident 1"].ShouldBe(["A3", "C11"]);
        incidents["incident 2"].ShouldBe(["pupil-tell-adult"]);
        incidents["incident 3"].ShouldBeEmpty();
        incidents["incident 4"].ShouldBeEmpty();
        incidents["incident 5"].ShouldBeEmpty();
        var sanctions = await read.Set<Sanction>().AsNoTracking().ToDictionaryAsync(s => s.Reason, s => s.Categories);
        sanctions["sanction 0"].ShouldBe(["games", "webmail"]);
        sanctions["sanction 1"].ShouldBe(["social-networking"]);
        sanctions["sanction 2"].ShouldBeEmpty();
        var approvals = await read.Set<ApprovalRequest>().AsNoTracking().ToDictionaryAsync(a => a.TypeId);
        approvals["class_unblock"].FilterOverrideIds.ShouldBe([12L, 13L]);
        approvals["class_unblock"].IncidentIds.ShouldBeEmpty();
        approvals["unrestricted"].IncidentIds.ShouldBe(expectedIncidents);
        approvals["exemption"].FilterOverrideIds.ShouldBeEmpty();
        approvals["exemption"].IncidentIds.ShouldBeEmpty();

        // Nothing is left as NULL, and a changed list is saved (the comparer looks at the content, not the reference).
        (await read.Database.SqlQuery<long>($"SELECT COUNT(*) AS \"Value\" FROM incidents WHERE \"RuleIds\" IS NULL").SingleAsync()).ShouldBe(0L);
        var tracked = await read.Set<Incident>().SingleAsync(i => i.Title == "incident 2");
        tracked.RuleIds = [.. tracked.RuleIds, "C11"];
        await read.SaveChangesAsync();
        (await read.Database.SqlQuery<string>($"SELECT \"RuleIds\" AS \"Value\" FROM incidents WHERE \"Title\" = 'incident 2'").SingleAsync())
            .ShouldBe("""["pupil-tell-adult","C11"]""");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StoredWords_WrittenBeforeTheEnums_ReadBackAsTheirStates(DatabaseProvider provider)
    {
        await using var db = await MigratedAsync(provider);
        await SeedEveryStateAsync(db);

        // The words each column held when it was a string; every one must read back as its state.
        await ReadsBackAsync(db, "approval_requests", "Status", () => db.Set<ApprovalRequest>().Select(a => a.Status), new Dictionary<string, ApprovalState>
        {
            ["pending"] = ApprovalState.Pending, ["active"] = ApprovalState.Active, ["declined"] = ApprovalState.Declined,
            ["revoked"] = ApprovalState.Revoked, ["expired"] = ApprovalState.Expired, ["withdrawn"] = ApprovalState.Withdrawn,
        });
        await ReadsBackAsync(db, "approval_decisions", "Action", () => db.Set<ApprovalDecision>().Select(d => d.Action), new Dictionary<string, ApprovalStep>
        {
            ["requested"] = ApprovalStep.Requested, ["approved"] = ApprovalStep.Approved, ["applied"] = ApprovalStep.Applied, ["declined"] = ApprovalStep.Declined,
            ["revoked"] = ApprovalStep.Revoked, ["expired"] = ApprovalStep.Expired, ["withdrawn"] = ApprovalStep.Withdrawn,
        });
        await ReadsBackAsync(db, "incidents", "Status", () => db.Set<Incident>().Select(i => i.Status), new Dictionary<string, IncidentStatus>
        {
            ["open"] = IncidentStatus.Open, ["investigating"] = IncidentStatus.Investigating, ["referred"] = IncidentStatus.Referred, ["closed"] = IncidentStatus.Closed,
        });
        await ReadsBackAsync(db, "incident_entries", "Kind", () => db.Set<IncidentEntry>().Select(e => e.Kind), new Dictionary<string, IncidentEntryKind>
        {
            ["report"] = IncidentEntryKind.Report, ["note"] = IncidentEntryKind.Note, ["status"] = IncidentEntryKind.Status, ["outcome"] = IncidentEntryKind.Outcome,
            ["ico_decision"] = IncidentEntryKind.IcoDecision, ["link"] = IncidentEntryKind.Link, ["attachment"] = IncidentEntryKind.Attachment,
            ["notified"] = IncidentEntryKind.Notified, ["serious"] = IncidentEntryKind.Serious, ["person"] = IncidentEntryKind.Person,
            ["device_searched"] = IncidentEntryKind.DeviceSearched, ["material_deleted"] = IncidentEntryKind.MaterialDeleted,
        });
        await ReadsBackAsync(db, "incident_links", "Kind", () => db.Set<IncidentLink>().Select(l => l.Kind), new Dictionary<string, IncidentLinkKind>
        {
            ["alert"] = IncidentLinkKind.Alert, ["dns"] = IncidentLinkKind.Dns, ["filter_request"] = IncidentLinkKind.FilterRequest,
        });
        await ReadsBackAsync(db, "monitoring_alerts", "Status", () => db.Set<MonitoringAlert>().Select(a => a.Status), new Dictionary<string, MonitoringAlertStatus>
        {
            ["open"] = MonitoringAlertStatus.Open, ["closed"] = MonitoringAlertStatus.Closed,
        });
        await ReadsBackAsync(db, "monitoring_alerts", "Outcome", () => db.Set<MonitoringAlert>().Select(a => a.Outcome!.Value), new Dictionary<string, AlertOutcome>
        {
            ["false-positive"] = AlertOutcome.FalsePositive, ["no-action"] = AlertOutcome.NoAction, ["escalated"] = AlertOutcome.Escalated, ["resolved"] = AlertOutcome.Resolved,
        });
        await ReadsBackAsync(db, "monitoring_alert_entries", "Kind", () => db.Set<MonitoringAlertEntry>().Select(e => e.Kind), new Dictionary<string, AlertEntryKind>
        {
            ["notified"] = AlertEntryKind.Notified, ["opened"] = AlertEntryKind.Opened, ["note"] = AlertEntryKind.Note, ["outcome"] = AlertEntryKind.Outcome, ["grouped"] = AlertEntryKind.Grouped,
            ["category-sent"] = AlertEntryKind.CategoryNotified,
        });
        await ReadsBackAsync(db, "monitoring_events", "Kind", () => db.Set<MonitoringEvent>().Select(e => e.Kind), new Dictionary<string, MonitoringEventKind>
        {
            ["url"] = MonitoringEventKind.Url, ["search"] = MonitoringEventKind.Search, ["typed-text"] = MonitoringEventKind.TypedText,
            ["application"] = MonitoringEventKind.Application, ["screenshot"] = MonitoringEventKind.Screenshot, ["email"] = MonitoringEventKind.Email,
        });
        await ReadsBackAsync(db, "monitoring_content_permissions", "Status", () => db.Set<MonitoringContentPermission>().Select(p => p.Status), new Dictionary<string, ContentPermissionState>
        {
            ["requested"] = ContentPermissionState.Requested, ["granted"] = ContentPermissionState.Granted, ["declined"] = ContentPermissionState.Declined,
        });
        await ReadsBackAsync(db, "email_outbox", "State", () => db.Set<EmailOutboxMessage>().Select(m => m.State), new Dictionary<string, EmailOutboxState>
        {
            ["pending"] = EmailOutboxState.Pending, ["sent"] = EmailOutboxState.Sent, ["failed"] = EmailOutboxState.Failed,
        });
        await ReadsBackAsync(db, "filter_requests", "Status", () => db.Set<FilterRequest>().Select(r => r.Status), new Dictionary<string, FilterRequestState>
        {
            ["pending"] = FilterRequestState.Pending, ["approved"] = FilterRequestState.Approved, ["declined"] = FilterRequestState.Declined,
        });
        await ReadsBackAsync(db, "filter_requests", "Kind", () => db.Set<FilterRequest>().Select(r => r.Kind), new Dictionary<string, FilterRequestKind>
        {
            ["unblock"] = FilterRequestKind.Unblock, ["miss"] = FilterRequestKind.Miss,
        });
        await ReadsBackAsync(db, "filter_overrides", "Action", () => db.Set<FilterOverride>().Select(o => o.Action), new Dictionary<string, FilterOverrideAction>
        {
            ["allow"] = FilterOverrideAction.Allow, ["deny"] = FilterOverrideAction.Deny,
        });
        await ReadsBackAsync(db, "sanctions", "Kind", () => db.Set<Sanction>().Select(s => s.Kind), new Dictionary<string, SanctionKind>
        {
            ["withdraw_internet"] = SanctionKind.WithdrawInternet, ["restrict_categories"] = SanctionKind.RestrictCategories,
            ["suspend_account"] = SanctionKind.SuspendAccount, ["parent_meeting_required"] = SanctionKind.ParentMeetingRequired,
        });

        await ReadsBackAsync(db, "custody_items", "Origin", () => db.Set<CustodyItem>().Select(i => i.Origin), new Dictionary<string, CustodyOrigin>
        {
            ["seized"] = CustodyOrigin.Seized, ["handed_in"] = CustodyOrigin.HandedIn,
        });
        await ReadsBackAsync(db, "custody_steps", "Kind", () => db.Set<CustodyStep>().Select(c => c.Kind), new Dictionary<string, CustodyStepKind>
        {
            ["taken"] = CustodyStepKind.Taken, ["handover"] = CustodyStepKind.Handover, ["external"] = CustodyStepKind.External,
            ["stored"] = CustodyStepKind.Stored, ["returned"] = CustodyStepKind.Returned, ["disposed"] = CustodyStepKind.Disposed,
        });
        await ReadsBackAsync(db, "custody_steps", "Signature", () => db.Set<CustodyStep>().Select(c => c.Signature), new Dictionary<string, CustodySignature>
        {
            ["password"] = CustodySignature.Password, ["typed_name"] = CustodySignature.TypedName,
        });

        // A query compares with the stored word, so filtering on a state finds the old rows too.
        await SetAsync(db, "incidents", "Status", "referred");
        (await db.Set<Incident>().CountAsync(i => i.Status == IncidentStatus.Referred)).ShouldBe(1);
        (await db.Set<Incident>().CountAsync(i => i.Status != IncidentStatus.Closed)).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task StoredWords_UnknownWord_FailsNamingTheValueAndTheColumn(DatabaseProvider provider)
    {
        await using var db = await MigratedAsync(provider);
        await SeedEveryStateAsync(db);

        await SetAsync(db, "approval_requests", "Status", "archived");
        (await FailureAsync(() => db.Set<ApprovalRequest>().AsNoTracking().SingleAsync()))
            .ShouldSatisfyAllConditions(e => e.Column.ShouldBe("approval_requests.Status"), e => e.Value.ShouldBe("archived"),
                e => e.Message.ShouldContain("'archived' in approval_requests.Status", Case.Sensitive));

        await SetAsync(db, "monitoring_alerts", "Outcome", "Escalated");
        (await FailureAsync(() => db.Set<MonitoringAlert>().AsNoTracking().SingleAsync())).Column.ShouldBe("monitoring_alerts.Outcome");

        await SetAsync(db, "email_outbox", "State", "");
        (await FailureAsync(() => db.Set<EmailOutboxMessage>().AsNoTracking().SingleAsync())).Column.ShouldBe("email_outbox.State");

        // Comma-separated text left behind (or any other non-list) is not guessed at either.
        await SetAsync(db, "incidents", "RuleIds", "A3,C11");
        var list = await FailureAsync(() => db.Set<Incident>().AsNoTracking().SingleAsync());
        (list.Column, list.Value).ShouldBe(("incidents.RuleIds", "A3,C11"));
    }

    private static async Task<UnknownStoredValueException> FailureAsync<T>(Func<Task<T>> read)
    {
        try
        {
            await read();
        }
        catch (Exception e)
        {
            // EF may wrap what a value converter throws; the cause must be there, with its words intact.
            for (var x = e; x is not null; x = x.InnerException)
            {
                if (x is UnknownStoredValueException unknown)
                {
                    return unknown;
                }
            }

            throw new ShouldAssertException($"expected an UnknownStoredValueException, got {e}");
        }

        throw new ShouldAssertException("expected the read to fail");
    }

    private static async Task ReadsBackAsync<T>(BrightlineDbContext db, string table, string column, Func<IQueryable<T>> read, Dictionary<string, T> words)
        where T : struct, Enum
    {
        // Every member must have an old word here, so a new state cannot be added without deciding its word.
        words.Values.Distinct().Count().ShouldBe(Enum.GetValues<T>().Length, $"{table}.{column}: every {typeof(T).Name} needs its stored word here");
        foreach (var (word, state) in words)
        {
            await SetAsync(db, table, column, word);
            (await read().SingleAsync()).ShouldBe(state, $"{table}.{column} = '{word}'");
        }
    }

    private static async Task SetAsync(BrightlineDbContext db, string table, string column, string value)
    {
        var sql = "UPDATE \"" + table + "\" SET \"" + column + "\" = {0}";
        await db.Database.ExecuteSqlRawAsync(sql, value);
    }

    private static async Task<BrightlineDbContext> MigratedAsync(DatabaseProvider provider)
    {
        var db = BrightlineDbContextOptions.Create(provider, await TestDatabases.CreateAsync(provider));
        await DatabaseMigrator.MigrateAsync(db, provider, CancellationToken.None);
        return db;
    }

    /// <summary>Applies the scripts up to <paramref name="version"/> as the migrator would have, so the next migration sees a database of that age.</summary>
    private static async Task MigrateUpToAsync(BrightlineDbContext db, DatabaseProvider provider, int version)
    {
        await db.Database.ExecuteSqlRawAsync(
            $"CREATE TABLE {DatabaseMigrator.HistoryTable} (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, sha256 VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL);");
        foreach (var script in DatabaseMigrator.Scripts(provider).Where(s => s.Version <= version))
        {
            await db.Database.ExecuteSqlRawAsync(script.Sql);
            var record = $"INSERT INTO {DatabaseMigrator.HistoryTable} (version, name, sha256, applied_at) VALUES ({script.Version}, {{0}}, {{1}}, {{2}})";
            await db.Database.ExecuteSqlRawAsync(record, script.Name, script.Sha256, "2026-11-01T00:00:00Z");
        }
    }

    private static async Task<Person> SeedSchoolAsync(BrightlineDbContext db)
    {
        db.Add(new School { Id = TestSchool.Id, Name = "Stored values school", CreatedAt = Now });
        var person = new Person { Id = Guid.NewGuid(), SchoolId = TestSchool.Id, ExternalId = "P1", Source = "test", GivenName = "Amelia", FamilyName = "Stone" };
        db.Add(person);
        await db.SaveChangesAsync();
        return person;
    }

    private static Incident NewIncident(string title) => new()
    {
        Id = Guid.NewGuid(), SchoolId = TestSchool.Id, Kind = "behaviour", Title = title, Status = IncidentStatus.Open, CreatedAt = Now, CreatedBy = "dsl@school.test",
    };

    private static ApprovalRequest NewApproval(string type) => new()
    {
        Id = Guid.NewGuid(), SchoolId = TestSchool.Id, TypeId = type, Kind = type, Status = ApprovalState.Active, RequestedBy = "lead@school.test", Reason = "A lesson", CreatedAt = Now,
    };

    private static Sanction NewSanction(Person person, string reason) => new()
    {
        Id = Guid.NewGuid(), SchoolId = TestSchool.Id, PersonId = person.Id, Kind = SanctionKind.RestrictCategories, Reason = reason,
        ImposedBy = "head@school.test", ImposedAt = Now, StartsAt = Now,
    };

    /// <summary>One row in every table whose column holds a state, so each can be overwritten with old words.</summary>
    private static async Task SeedEveryStateAsync(BrightlineDbContext db)
    {
        var person = await SeedSchoolAsync(db);
        var incident = NewIncident("Unkind messages");
        db.Add(incident);
        db.Add(NewSanction(person, "Games in lessons"));
        var approval = new ApprovalRequest
        {
            Id = Guid.NewGuid(), SchoolId = TestSchool.Id, TypeId = "exemption", Kind = "exemption", Status = ApprovalState.Pending,
            RequestedBy = "teacher@school.test", Reason = "A lesson", CreatedAt = Now,
        };
        db.Add(approval);
        var item = new CustodyItem
        {
            Id = Guid.NewGuid(), SchoolId = TestSchool.Id, Description = "Black phone", Origin = CustodyOrigin.Seized, Reason = "Bullying messages",
            TakenBy = "Ms Head", TakenAt = Now, RecordedBy = "head@school.test", RecordedAt = Now,
        };
        db.Add(item);
        db.Add(new FilterRequest { SchoolId = TestSchool.Id, Kind = FilterRequestKind.Unblock, Status = FilterRequestState.Pending, Host = "example.com", Reason = "A lesson", CreatedAt = Now });
        db.Add(new FilterOverride { SchoolId = TestSchool.Id, Profile = "staff", Entry = "example.com", Action = FilterOverrideAction.Allow, Reason = "A lesson", CreatedAt = Now, CreatedBy = "lead@school.test" });
        var device = new MonitoringDevice { Id = Guid.NewGuid(), SchoolId = TestSchool.Id, Name = "Laptop 1", TokenHash = new string('a', 64), TokenPrefix = "abc", CreatedAt = Now, CreatedBy = "admin" };
        db.Add(device);
        await db.SaveChangesAsync();

        db.Add(new ApprovalDecision { SchoolId = TestSchool.Id, ApprovalId = approval.Id, At = Now, Actor = "teacher@school.test", Action = ApprovalStep.Requested });
        db.Add(new CustodyStep
        {
            SchoolId = TestSchool.Id, ItemId = item.Id, Kind = CustodyStepKind.Taken, At = Now, ReceiverName = "Ms Head", Signature = CustodySignature.Password, RecordedBy = "head@school.test",
        });
        db.Add(new IncidentEntry { IncidentId = incident.Id, At = Now, Author = "dsl@school.test", Text = "Reported by a pupil." });
        db.Add(new IncidentLink { SchoolId = TestSchool.Id, IncidentId = incident.Id, Kind = IncidentLinkKind.Dns, TargetId = "1", At = Now, LinkedBy = "dsl@school.test" });
        var monitored = new MonitoringEvent { SchoolId = TestSchool.Id, DeviceId = device.Id, ClientEventId = "e1", Kind = MonitoringEventKind.Search, OccurredAt = Now, ReceivedAt = Now };
        db.Add(monitored);
        db.Add(new MonitoringContentPermission
        {
            SchoolId = TestSchool.Id, PersonId = person.Id, RequestedBy = "dsl@school.test", Reason = "Concern", RequestedAt = Now, Days = 1, Status = ContentPermissionState.Requested,
        });
        var record = new EmailRecord { SchoolId = TestSchool.Id, Recipient = "dsl@school.test", Purpose = "test", At = Now };
        db.Add(record);
        await db.SaveChangesAsync();

        var alert = new MonitoringAlert
        {
            SchoolId = TestSchool.Id, DeviceId = device.Id, Category = "bullying", Severity = "medium", SeverityRank = 1, Status = MonitoringAlertStatus.Open,
            Outcome = AlertOutcome.Resolved, FirstAt = Now, LastAt = Now, CreatedAt = Now, Phrase = "phrase", EventId = monitored.Id,
        };
        db.Add(alert);
        db.Add(new EmailOutboxMessage
        {
            SchoolId = TestSchool.Id, Recipient = "dsl@school.test", Subject = "Test", TextBody = "Body", Purpose = "test", EmailRecordId = record.Id,
            CreatedAt = Now, State = EmailOutboxState.Pending, NextAttemptAt = Now,
        });
        await db.SaveChangesAsync();
        db.Add(new MonitoringAlertEntry { SchoolId = TestSchool.Id, AlertId = alert.Id, At = Now, Kind = AlertEntryKind.Opened, Actor = "dsl@school.test" });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }
}
