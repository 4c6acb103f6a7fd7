using Brightline.Data.Entities;
using Brightline.People;
using Brightline.Policies;

namespace Brightline.Agreements;

/// <summary>Each required agreement and its state, for <c>brightline people list</c>.</summary>
public sealed class AgreementListStatus(AgreementService agreements) : IPeopleListStatus
{
    public async Task<string> DescribeAsync(ActivePolicy active, Person person, CancellationToken cancellationToken)
    {
        var required = await agreements.ForPersonAsync(active, person, cancellationToken);
        return required.Count == 0 ? "none required"
            : string.Join(", ", required.Select(r => $"{r.AgreementId}: {r.State.ToString().ToLowerInvariant()}"));
    }
}
