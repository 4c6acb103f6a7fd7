using Brightline.People;

namespace Brightline.Agreements;

/// <summary>After an import: the people it created, changed or marked as leaving get their stored standings now.</summary>
public sealed class StandingsAfterImport(AgreementStandings standings) : IPeopleChanged
{
    public async Task ChangedAsync(string schoolId, CancellationToken cancellationToken)
    {
        try
        {
            await standings.EnsureFreshAsync(schoolId, cancellationToken);
        }
        catch (Kernel.NotFoundException)
        {
            // No policy loaded yet: nothing is owed, and loading one makes readers work everything out.
        }
    }
}
