using Brightline.Data.Entities;
using Brightline.Policy.Model;

namespace Brightline.Agreements;

/// <summary>Required agreements, signing, countersigning and chasing. (Stub: being built.)</summary>
public sealed class AgreementService
{
    public Task<IReadOnlyList<RequiredAgreement>> ForPersonAsync(string schoolId, Guid personId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<ComplianceSummary> ComplianceAsync(string schoolId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<Signature> SignAsync(SignRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task SendCountersignLinkAsync(string schoolId, Guid childId, string agreementId, string actor, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<CountersignContext?> OpenCountersignAsync(string token, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<Signature> CountersignAsync(string token, string signedName, string? clientAddress, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<int> ChaseParentsAsync(string schoolId, string actor, CancellationToken cancellationToken) => throw new NotImplementedException();
}

/// <summary>Logon acknowledgements (H13, C8). (Stub: being built.)</summary>
public sealed class AcknowledgementService
{
    public Task<Agreement?> DueAsync(string schoolId, Guid personId, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RecordAsync(string schoolId, Guid personId, string agreementId, string? clientAddress, CancellationToken cancellationToken) => throw new NotImplementedException();
}
