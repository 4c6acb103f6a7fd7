namespace Brightline.Policies;

/// <summary>
/// Warnings about a school's newly loaded policy that need the database to see (e.g. a role it routes to that nobody
/// holds, issue 15 part 8). Declared here and answered by higher features, which the Policies feature cannot use.
/// </summary>
public interface IPolicyLoadWarnings
{
    Task<IReadOnlyList<string>> WarningsAsync(string schoolId, CancellationToken cancellationToken);
}
