using Brightline.Policy;

namespace Brightline.Policies;

/// <summary>
/// Places a problem in one of the free-form feature sections (<c>approvals:</c>, <c>incidents:</c>) at its
/// key in the policy file, so <c>policy check</c> and <c>policy load</c> report it as file:line:col like the
/// policy language's own errors. Those sections keep no positions once loaded, so the key is found again
/// in the text.
/// </summary>
internal static class SectionKeyLocator
{
    /// <summary>
    /// A diagnostic for <paramref name="error"/>, whose text starts with the dotted key it is about
    /// (<c>incidents.kinds.security.notify: …</c>, <c>approvals.types.guest_wifi.approvers[0]: …</c>).
    /// </summary>
    public static PolicyDiagnostic Diagnostic(string yaml, string file, string error)
    {
        var (line, column) = Locate(yaml, error[..Math.Max(0, error.IndexOf(':', StringComparison.Ordinal))]);
        return new PolicyDiagnostic(file, line, column, error);
    }

    /// <summary>
    /// Best-effort position of a dotted key path in block-style YAML: the first segment at the top level,
    /// each later one below the previous and more deeply indented (list items' <c>- </c> counts as
    /// indentation; an index such as <c>[0]</c> is ignored). Returns the deepest segment found, or the
    /// file's first line when not even the first is.
    /// </summary>
    public static (int Line, int Column) Locate(string yaml, string path)
    {
        var lines = yaml.Split('\n');
        var found = (Line: 1, Column: 1);
        var start = 0;
        var parentIndent = -1;
        foreach (var raw in path.Split('.'))
        {
            var segment = raw.Split('[', 2)[0];
            var hit = false;
            for (var i = start; i < lines.Length; i++)
            {
                var text = lines[i].TrimEnd('\r');
                var trimmed = text.TrimStart(' ', '-');
                var indent = text.Length - trimmed.Length;
                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                {
                    continue;
                }

                if (i > start && indent <= parentIndent)
                {
                    break; // left the parent's block
                }

                if (trimmed.StartsWith(segment + ":", StringComparison.Ordinal) && (parentIndent >= 0 || indent == 0))
                {
                    found = (i + 1, indent + 1);
                    start = i + 1;
                    parentIndent = indent;
                    hit = true;
                    break;
                }
            }

            if (!hit)
            {
                break;
            }
        }

        return found;
    }
}
