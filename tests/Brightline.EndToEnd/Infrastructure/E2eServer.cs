using System.Text;
using Brightline.Hosting;
using Brightline.People;
using Brightline.Policies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Brightline.EndToEnd.Infrastructure;

/// <summary>
/// The real Brightline host on real Kestrel with a SQLite file, the real SMTP sink and the example school
/// loaded — what a browser test drives. (A trimmed copy of Brightline.Tests' BrightlineServer: the browser
/// project does not reference the other test project.)
/// </summary>
public sealed class E2eServer : IAsyncDisposable
{
    public const string SchoolId = "example-primary";

    private E2eServer(WebApplication app, SmtpSink smtp, Uri baseAddress)
    {
        App = app;
        Smtp = smtp;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public SmtpSink Smtp { get; }

    public Uri BaseAddress { get; }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public static async Task<E2eServer> StartAsync()
    {
        var smtp = await SmtpSink.StartAsync();
        var db = Path.Combine(Path.GetTempPath(), $"brightline-e2e-{Guid.NewGuid():N}.db");
        var config = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Brightline:Database:Provider"] = "sqlite",
            ["Brightline:Database:ConnectionString"] = $"Data Source={db}",
            ["Brightline:Email:SmtpHost"] = "127.0.0.1",
            ["Brightline:Email:SmtpPort"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Brightline:Email:From"] = "brightline@school.test",
            ["Brightline:Api:Keys:0"] = "e2e-api-key-0123456789abcdef",
            ["Brightline:Demo:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        // A manual clock started at the real time: two-factor codes are checked against the real time.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var app = PortalHost.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Services.AddSingleton<TimeProvider>(clock);
        });
        await PortalHost.PrepareDatabaseAsync(app.Services, CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new E2eServer(app, smtp, new Uri(address));
        await server.SeedAsync();
        return server;
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

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
