using System.Globalization;
using System.Runtime.CompilerServices;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;

using Brightline.Filtering;

namespace Brightline.WebFiltering;

/// <summary>One list a policy names, as read from disk: what kind of entries it holds and what went wrong reading it.</summary>
public sealed record FilterListRow(
    string Name,
    FilterListFormat Format,
    string Path,
    string? Category,
    bool Found,
    long Domains,
    long ExactHosts,
    long UrlPrefixes,
    int Lines,
    int ProblemCount,
    IReadOnlyList<string> Problems);
