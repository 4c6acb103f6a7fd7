using Brightline.WebFiltering;
using Brightline.Kernel;
using Brightline.Portal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

using Brightline.Filtering;

namespace Brightline.Pages.WebFiltering;

/// <summary>The lists the policy names: format, file, entries by kind, load problems; and the compiled snapshot's size.</summary>
[Authorize(Roles = PortalRoles.FilteringViewerNames)]
public sealed class ListsModel(PortalScope scope, FilterService filters) : PageModel
{
    public string? NoPolicy { get; private set; }

    public FilterListInventory Inventory { get; private set; } = new([]);

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public string? Version { get; private set; }

    public string ListSetName { get; private set; } = "";

    public int Names { get; private set; }

    public int UrlPrefixes { get; private set; }

    public long MemoryBytes { get; private set; }

    public int ProfileCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SchoolFilter filter;
        try
        {
            filter = await filters.GetAsync(scope.RequiredSchoolId, cancellationToken);
        }
        catch (NotFoundException ex)
        {
            NoPolicy = ex.Message;
            return;
        }

        var snapshot = filter.Engine.Current;
        Inventory = FilterListInventories.For(filter, filters.Options.ListRoot);
        Problems = filter.Problems;
        Version = snapshot.Options.Version;
        ListSetName = snapshot.Lists.Name;
        Names = snapshot.Lists.Domains.Count;
        UrlPrefixes = snapshot.Lists.Urls.Count;
        MemoryBytes = snapshot.Lists.MemoryBytes;
        ProfileCount = snapshot.Profiles.Count;
    }

    /// <summary>"1.2 MB" (binary units, UK number format).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", System.Globalization.CultureInfo.GetCultureInfo("en-GB")) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.0", System.Globalization.CultureInfo.GetCultureInfo("en-GB")) + " MB",
    };

    public static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}
