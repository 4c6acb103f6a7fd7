using System.Text;
using Brightline.Access;
using Brightline.Agreements;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.People;
using Brightline.Policies;
using Brightline.Tests.Infrastructure;
using Brightline.WebFiltering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Seeds;

/// <summary>
/// One seed school running in a real portal (issue 15, point 10): its own <c>policies/*.yaml</c> loaded as a school
/// would load it, its people imported from CSV, and the questions its tests ask through the same services the portal
/// pages use (what a person owes, the access gate, the filter for a person, the email outbox).
/// </summary>
internal sealed class SeedSchool(BrightlineServer server, string schoolId) : IAsyncDisposable
{
    public BrightlineServer Server { get; } = server;

    public string SchoolId { get; } = schoolId;

    public static async Task<SeedSchool> StartAsync(DatabaseProvider provider, string policyFile, string schoolId)
    {
        var server = await BrightlineServer.StartAsync(provider);
        try
        {
            await using var scope = server.CreateScope();
            await scope.ServiceProvider.GetRequiredService<PolicyStore>()
                .LoadAsync(File.ReadAllText(RepoPaths.Policy(policyFile)), policyFile, "test", CancellationToken.None);
            return new SeedSchool(server, schoolId);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Imports a CSV as the school's office would (a partial list: nobody else is marked as a leaver); fails on any row error.</summary>
    public async Task ImportAsync(ImportKind kind, string csv)
    {
        await using var scope = Server.CreateScope();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var report = await scope.ServiceProvider.GetRequiredService<PeopleImporter>()
            .ImportAsync(SchoolId, stream, kind, new ImportOptions(false, false), "test", CancellationToken.None);
        report.Errors.ShouldBeEmpty($"{kind} import of {SchoolId}: {string.Join("; ", report.Errors)}");
    }

    public Task<Person> PersonAsync(string externalIdOrEmail) => WithDbAsync(db => db.People.AsNoTracking()
        .SingleAsync(p => p.SchoolId == SchoolId && (p.ExternalId == externalIdOrEmail || p.Email == externalIdOrEmail)));

    public async Task<IReadOnlyList<RequiredAgreement>> OwesAsync(Person person)
    {
        await using var scope = Server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AgreementService>().ForPersonAsync(SchoolId, person.Id, CancellationToken.None);
    }

    public async Task<Signature> SignAsync(Person person, Person signer, string agreementId, string? jobTitle = null, string? className = null)
    {
        await using var scope = Server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AgreementService>().SignAsync(
            new SignRequest(SchoolId, person.Id, signer.Id, agreementId, signer.FullName, jobTitle, className, true, SignatureMethod.Portal, "127.0.0.1", "test"),
            CancellationToken.None);
    }

    public async Task<AccessDecision> GateAsync(Person person)
    {
        await using var scope = Server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AccessGate>().EvaluateAsync(SchoolId, person.Id, CancellationToken.None);
    }

    /// <summary>The filter's decision for <paramref name="person"/> at a school-local time ("dd/MM/yyyy HH:mm"), as "Test a URL as …" makes it.</summary>
    public async Task<FilterDecision> FilterAsync(Person person, string host, string local)
    {
        await using var scope = Server.CreateScope();
        var filter = await scope.ServiceProvider.GetRequiredService<FilterService>().GetAsync(SchoolId, CancellationToken.None);
        FilterTester.TryParseLocal(local, filter.Engine.Current.Options.TimeZone, out var when).ShouldBeTrue(local);
        return FilterTester.Test(filter, host, FilterTester.ForPerson(filter, person), when).Decision;
    }

    /// <summary>Who the outbox holds a message for, for one purpose at this school.</summary>
    public Task<List<string>> RecipientsAsync(string purpose) => WithDbAsync(db => db.EmailOutbox.AsNoTracking()
        .Where(m => m.SchoolId == SchoolId && m.Purpose == purpose).Select(m => m.Recipient).ToListAsync());

    public async Task<T> WithDbAsync<T>(Func<BrightlineDbContext, Task<T>> action)
    {
        await using var scope = Server.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<BrightlineDbContext>());
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
