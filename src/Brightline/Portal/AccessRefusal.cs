namespace Brightline.Portal;

/// <summary>
/// The roles that may open a page the signed-in user was just refused (issue 17, defect 2a), kept on the request so
/// the friendly 403 page, re-executed on the same request, can name them and the people who hold them instead of
/// sending everyone — the administrator included — to "ask the administrator".
/// </summary>
public static class AccessRefusal
{
    private static readonly object s_key = new();

    /// <summary>Records who may open the page; a page that refuses in its own code (a policy-driven rule) calls this before <c>Forbid()</c>.</summary>
    public static void Note(HttpContext context, IEnumerable<string> roles)
    {
        var known = context.Items[s_key] as List<string> ?? [];
        known.AddRange(roles.Where(r => !known.Contains(r, StringComparer.Ordinal)));
        context.Items[s_key] = known;
    }

    /// <summary>The roles noted for this request, in the order noted; empty when nothing was noted.</summary>
    public static IReadOnlyList<string> RolesFor(HttpContext context) => context.Items[s_key] as List<string> ?? [];
}
