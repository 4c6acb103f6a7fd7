using Brightline.Data.Entities;
using Brightline.Policies;

namespace Brightline.People;

/// <summary>
/// The last column of <c>brightline people list</c>: a person's agreement status. The agreements feature supplies it,
/// because it depends on the people register and not the other way round.
/// </summary>
public interface IPeopleListStatus
{
    Task<string> DescribeAsync(ActivePolicy active, Person person, CancellationToken cancellationToken);
}
