using Brightline.Agreements;
using Brightline.Data.Entities;
using Brightline.Tests.People;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Agreements;

internal static class AgreementTestData
{
    public static async Task<IReadOnlyList<RequiredAgreement>> StatusAsync(BrightlineServer server, Person person)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AgreementService>().ForPersonAsync(TestSchool.Id, person.Id, CancellationToken.None);
    }

    public static async Task<Signature> SignAsync(BrightlineServer server, Person person, Person signer, string agreementId, string? jobTitle = null)
    {
        await using var scope = server.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AgreementService>().SignAsync(
            new SignRequest(TestSchool.Id, person.Id, signer.Id, agreementId, signer.FullName.ToUpperInvariant() + "  ", jobTitle, null, true,
                SignatureMethod.Portal, "127.0.0.1", "test"),
            CancellationToken.None);
    }
}
