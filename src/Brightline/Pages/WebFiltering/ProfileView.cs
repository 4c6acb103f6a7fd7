using System.Globalization;
using Brightline.Filtering;
using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Policy.Model;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Brightline.Pages.WebFiltering;

/// <summary>One filter profile in words.</summary>
public sealed record ProfileView(
    string Group,
    string GroupName,
    string? Rule,
    bool Compiled,
    IReadOnlyList<string> Blocked,
    IReadOnlyList<string> Allowed,
    bool SafeSearch,
    string YouTube,
    string Default,
    IReadOnlyList<string> Schedules,
    IReadOnlyList<ProfileEntryView> Entries,
    IReadOnlyList<string> UsedBy);
