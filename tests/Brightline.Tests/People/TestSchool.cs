using System.Text;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policies;
using Brightline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.People;

/// <summary>Arranging a school for integration tests: the example policy, people from CSV, lookups.</summary>
public static class TestSchool
{
    public const string Id = "example-primary";

    public static string ExampleYaml => File.ReadAllText(RepoPaths.Policy("example.yaml"));

    /// <summary>
    /// A server (real Kestrel, the chosen database) with the example school loaded and its pupils (with their
    /// parents) imported, and its staff too when <paramref name="staff"/>: the start most integration tests share.
    /// </summary>
    public static async Task<BrightlineServer> StartWithPupilsAsync(DatabaseProvider provider, bool staff = false)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await LoadPolicyAsync(server);
            await ImportAsync(server, ImportKind.Pupils, PupilsCsv);
            if (staff)
            {
                await ImportAsync(server, ImportKind.Staff, StaffCsv);
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A second school on the same installation: the example policy under another ID and name.</summary>
    public const string OtherId = "other-primary";

    /// <summary>Loads <see cref="OtherId"/> ("Quillfield Other Primary"), for tests of isolation between schools.</summary>
    public static Task LoadOtherSchoolAsync(BrightlineServer server) => LoadPolicyAsync(server, ExampleYaml
        .Replace("id: example-primary", "id: " + OtherId, StringComparison.Ordinal)
        .Replace("name: Brightline Example Primary", "name: Quillfield Other Primary", StringComparison.Ordinal));

    public static async Task LoadPolicyAsync(BrightlineServer server, string? yaml = null)
    {
        await using var scope = server.CreateScope();
        await scope.ServiceProvider.GetRequiredService<PolicyStore>().LoadAsync(yaml ?? ExampleYaml, "example.yaml", "test", CancellationToken.None);
    }

    public static async Task<ImportReport> ImportAsync(BrightlineServer server, ImportKind kind, string csv, bool dryRun = false, bool full = true, string schoolId = Id)
    {
        await using var scope = server.CreateScope();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await scope.ServiceProvider.GetRequiredService<PeopleImporter>()
            .ImportAsync(schoolId, stream, kind, new ImportOptions(dryRun, full), "test", CancellationToken.None);
    }

    public static async Task<Person> PersonAsync(BrightlineServer server, string externalId)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await db.People.AsNoTracking().SingleAsync(p => p.ExternalId == externalId);
    }

    public static async Task<List<Person>> PeopleAsync(BrightlineServer server)
    {
        await using var scope = server.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        return await db.People.AsNoTracking().OrderBy(p => p.ExternalId).ToListAsync();
    }

    public const string PupilsCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship,Contact 2 Name,Contact 2 Email,Contact 2 Relationship
        A001,K801200100001,Amelia,Jones,Year 3,3 Oak,01/09/2023,Sarah Jones,sarah.jones@parents.test,Mother,David Jones,david.jones@parents.test,Father
        A002,K801200100002,Noah,Jones,1,1 Ash,01/09/2025,Sarah Jones,sarah.jones@parents.test,Mother,,,
        A003,K801200100003,Isla,Patel,Reception,R Oak,02/09/2026,Priya Patel,priya.patel@school.test,Mother,,,
        A004,,Leo,Khan,Y5,5 Ash,01/09/2021,Imran Khan,imran.khan@parents.test,Father,,,
        """;

    public const string StaffCsv = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        S01,Priya,Patel,priya.patel@school.test,Computing Lead,3 Oak,Staff,computing_lead,01/09/2019
        S02,Helen,Marsh,h.marsh@school.test,Headteacher,,staff,head;dsl,01/09/2015
        G01,Margaret,Ellis,m.ellis@governors.test,Chair of Governors,,governor,,01/09/2018
        """;
}
