using System.Collections.Concurrent;

namespace Brightline.AccessChanges;

/// <summary>
/// What someone may do has changed: a sanction imposed or lifted, an approval in force or ended, an agreement
/// signed or countersigned, a sign-in or sign-out, a leaver. <see cref="PersonId"/> is null for a school-wide change.
/// </summary>
public sealed record AccessChange(string SchoolId, Guid? PersonId, string Reason)
{
    /// <summary>
    /// Drops the answers this change may have made stale from a subscriber's cache keyed by school and person: the
    /// person's, or every person's of the school for a school-wide change.
    /// </summary>
    public void ForgetIn<T>(ConcurrentDictionary<(string School, Guid Person), T> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (PersonId is { } person)
        {
            answers.TryRemove((SchoolId, person), out _);
            return;
        }

        foreach (var key in answers.Keys)
        {
            if (string.Equals(key.School, SchoolId, StringComparison.Ordinal))
            {
                answers.TryRemove(key, out _);
            }
        }
    }
}
