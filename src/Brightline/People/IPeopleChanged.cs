namespace Brightline.People;

/// <summary>
/// Told after an import has committed changes to a school's people, so what other features keep about people (the
/// agreements feature's stored standings, issue 18 part 1) is brought up to date before anyone reads it. Features that
/// depend on the people register implement it; the register does not depend on them.
/// </summary>
public interface IPeopleChanged
{
    Task ChangedAsync(string schoolId, CancellationToken cancellationToken);
}
