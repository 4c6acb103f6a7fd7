using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Filtering;
using Brightline.Kernel;
using Brightline.Policies;
using Brightline.Policy.Model;
using Microsoft.EntityFrameworkCore;

namespace Brightline.WebFiltering;

/// <summary>Settings of the filtering feature (section <c>Brightline:Filtering</c>).</summary>
public sealed class FilteringOptions
{
    public const string Section = "Brightline:Filtering";

    /// <summary>Folder that relative list paths in a policy are resolved against (default: the policies folder beside the binary).</summary>
    public string ListRoot { get; set; } = Path.Combine(AppContext.BaseDirectory, "policies");

    /// <summary>How often the active policy versions are checked for a change (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Host names the portal itself answers to (besides IP literals, localhost and the portal's base URL); any other Host gets the block page.</summary>
    public List<string> PortalHosts { get; set; } = [];
}
