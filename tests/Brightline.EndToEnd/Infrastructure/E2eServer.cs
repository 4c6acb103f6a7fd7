using System.Text;
using Brightline.People;
using Brightline.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.EndToEnd.Infrastructure;

/// <summary>
/// What a browser test drives: the shared <see cref="BrightlineServer"/> (real Kestrel, SQLite, the SMTP sink)
/// with the example school loaded and its clock at the real time, because two-factor codes are checked
/// against the real time.
/// </summary>
public sealed class E2eServer : IAsyncDisposable
{
    public const string SchoolId = "example-primary";

    private readonly BrightlineServer _server;

    private E2eServer(BrightlineServer server) => _server = server;

    public WebApplication App => _server.App;

    public SmtpSink Smtp => _server.Smtp;

    public Uri BaseAddress => _server.BaseAddress;

    public string Url(string path) => _server.Url(path);

    /// <summary>Stops the server (as a crash would), keeping its database, port and SMTP sink for <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => _server.StopAsync();

    public Task StartAgainAsync() => _server.StartAgainAsync();

    /// <summary>Loads a new version of the example policy with <paramref name="edit"/> applied to its text (as a school's edit would be).</summary>
    public async Task LoadEditedPolicyAsync(Func<string, string> edit)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var yaml = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "policies", "example.yaml"));
        await scope.ServiceProvider.GetRequiredService<PolicyStore>().LoadAsync(edit(yaml), "example.yaml", "e2e", CancellationToken.None);
    }

    public static Task<E2eServer> StartAsync() => StartAsync(Brightline.Data.DatabaseProvider.Sqlite);

    public static async Task<E2eServer> StartAsync(Brightline.Data.DatabaseProvider provider)
    {
        var server = new E2eServer(await BrightlineServer.StartAsync(provider, now: DateTimeOffset.UtcNow));
        try
        {
            await server.SeedAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task SeedAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var yaml = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "policies", "example.yaml"));
        await scope.ServiceProvider.GetRequiredService<PolicyStore>().LoadAsync(yaml, "example.yaml", "e2e", CancellationToken.None);
        var importer = scope.ServiceProvider.GetRequiredService<PeopleImporter>();
        await importer.ImportAsync(SchoolId, new MemoryStream(Encoding.UTF8.GetBytes(PupilsCsv)), ImportKind.Pupils, new ImportOptions(), "e2e", CancellationToken.None);
        await importer.ImportAsync(SchoolId, new MemoryStream(Encoding.UTF8.GetBytes(StaffCsv)), ImportKind.Staff, new ImportOptions(), "e2e", CancellationToken.None);
    }

    public static string RepoRoot() => Brightline.Testing.RepositoryRoot.Path;

    public const string PupilsCsv = """
        Admission No,UPN,Legal Forename,Legal Surname,Year Group,Reg Group,Start Date,Contact 1 Name,Contact 1 Email,Contact 1 Relationship
        A001,K801200100001,Amelia,Jones,Year 3,3 Oak,01/09/2023,Sarah Jones,sarah.jones@parents.test,Mother
        A004,,Leo,Khan,Y5,5 Ash,01/09/2021,Imran Khan,imran.khan@parents.test,Father
        """;

    public const string StaffCsv = """
        Staff Code,Forename,Surname,Email,Job Title,Class Taught,Type,Roles,Start Date
        S02,Helen,Marsh,h.marsh@school.test,Headteacher,,staff,head;dsl,01/09/2015
        S03,Tom,Baker,t.baker@school.test,Teaching Assistant,,staff,,01/09/2024
        """;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
