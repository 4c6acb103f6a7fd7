using System.Linq.Expressions;
using Brightline.Data.Entities;

namespace Brightline.People;

/// <summary>
/// Who is on the school's roll on a given day: not left, or leaving later (a leaving date recorded ahead). The one
/// definition the dashboard, the people list, the agreements pages and the compliance counts share, so "people on
/// roll" is the same number wherever it is shown (issue 17 defect 7).
/// </summary>
public static class OnRoll
{
    public static Expression<Func<Person, bool>> On(DateOnly today) => p => p.LeftOn == null || p.LeftOn > today;

    public static bool Is(Person person, DateOnly today) => person.LeftOn is not { } left || left > today;
}
