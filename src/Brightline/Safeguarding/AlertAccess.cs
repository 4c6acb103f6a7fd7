namespace Brightline.Safeguarding;

/// <summary>
/// What one signed-in user may see of the alert queue: every alert (<see cref="All"/>, the policy's
/// <c>monitoring.viewers</c>), or only the alerts of <see cref="Categories"/> (the roles a
/// <c>monitoring.categories.&lt;id&gt;.viewers</c> names, e.g. IT support for security misuse, H12), or nothing.
/// </summary>
public sealed record AlertAccess(bool All, IReadOnlySet<string> Categories)
{
    public static AlertAccess None { get; } = new(false, new HashSet<string>(StringComparer.Ordinal));

    public static AlertAccess Everything { get; } = new(true, new HashSet<string>(StringComparer.Ordinal));

    public bool Any => All || Categories.Count > 0;

    public bool Allows(string category) => All || Categories.Contains(category);
}
