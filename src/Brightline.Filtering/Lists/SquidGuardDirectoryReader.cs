using System.Collections.Frozen;

namespace Brightline.Filtering.Lists;

/// <summary>
/// Reads a squidGuard/UT1-style directory tree: one folder per category, each holding a
/// <c>domains</c> file (domains, matching subdomains) and/or a <c>urls</c> file (URL prefixes).
/// Folder names are mapped to our categories by <see cref="DefaultFolderMap"/> (UT1, Shalla and
/// common squidGuard names, plus our own stable names), optionally extended by the caller.
/// Folders with no mapping are listed in <see cref="DirectoryReport.UnmappedFolders"/> and not read.
/// </summary>
public static class SquidGuardDirectoryReader
{
    /// <summary>
    /// Folder name → category. UT1's <c>child</c> folder is sites <em>for</em> children (a white list)
    /// and is deliberately unmapped, as are other white lists and categories we do not filter by
    /// (e.g. <c>shopping</c>, <c>press</c>, <c>sports</c>). The table is documented in docs/filtering-engine.md.
    /// </summary>
    public static IReadOnlyDictionary<string, Category> DefaultFolderMap { get; } = BuildDefaultMap();

    /// <summary>Reads every mapped category folder under <paramref name="root"/> into <paramref name="builder"/>.</summary>
    public static DirectoryReport Read(string root, CategoryListsBuilder builder, IReadOnlyDictionary<string, Category>? extraMap = null)
    {
        var report = new DirectoryReport(root);
        if (!Directory.Exists(root))
        {
            report.Files.Add(Missing(root));
            return report;
        }

        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            Category category;
            if (extraMap is not null && extraMap.TryGetValue(name, out var extra))
            {
                category = extra;
            }
            else if (!DefaultFolderMap.TryGetValue(name, out category))
            {
                report.UnmappedFolders.Add(name);
                continue;
            }

            var sink = builder.For(category);
            report.MappedFolders.Add((name, category));
            foreach (var file in new[] { "domains", "urls" })
            {
                var path = Path.Combine(folder, file);
                if (File.Exists(path))
                {
                    report.Files.Add(PlainListReader.ReadFile(path, sink));
                }
            }
        }

        return report;
    }

    private static ListReport Missing(string root)
    {
        var missing = new ListReport(root);
        missing.AddProblem(0, root, "directory not found");
        return missing;
    }

    private static FrozenDictionary<string, Category> BuildDefaultMap()
    {
        var map = new Dictionary<string, Category>(StringComparer.OrdinalIgnoreCase)
        {
            // UT1 (Université Toulouse Capitole)
            ["adult"] = Category.Pornography,
            ["mixed_adult"] = Category.Pornography,
            ["agressif"] = Category.Hate,
            ["drogue"] = Category.Drugs,
            ["gambling"] = Category.Gambling,
            ["arjel"] = Category.Gambling,
            ["games"] = Category.Games,
            ["malware"] = Category.MalwareHacking,
            ["phishing"] = Category.MalwareHacking,
            ["hacking"] = Category.MalwareHacking,
            ["ddos"] = Category.MalwareHacking,
            ["cryptojacking"] = Category.MalwareHacking,
            ["stalkerware"] = Category.MalwareHacking,
            ["dialer"] = Category.MalwareHacking,
            ["warez"] = Category.Piracy,
            ["vpn"] = Category.ProxyVpn,
            ["redirector"] = Category.ProxyVpn,
            ["strict_redirector"] = Category.ProxyVpn,
            ["strong_redirector"] = Category.ProxyVpn,
            ["residential-proxies"] = Category.ProxyVpn,
            ["doh"] = Category.EncryptedDns,
            ["social_networks"] = Category.SocialNetworking,
            ["chat"] = Category.Chat,
            ["dating"] = Category.Dating,
            ["webmail"] = Category.Webmail,
            ["publicite"] = Category.Advertising,
            ["marketingware"] = Category.Advertising,
            ["audio-video"] = Category.Streaming,
            ["radio"] = Category.Streaming,
            ["dangerous_material"] = Category.Weapons,

            // Shalla and common squidGuard names
            ["porn"] = Category.Pornography,
            ["aggressive"] = Category.Hate,
            ["drugs"] = Category.Drugs,
            ["gamble"] = Category.Gambling,
            ["spyware"] = Category.MalwareHacking,
            ["anonvpn"] = Category.ProxyVpn,
            ["proxy"] = Category.ProxyVpn,
            ["socialnet"] = Category.SocialNetworking,
            ["adv"] = Category.Advertising,
            ["ads"] = Category.Advertising,
            ["tracker"] = Category.Advertising,
            ["violence"] = Category.Violence,
            ["weapons"] = Category.Weapons,
            ["movies"] = Category.Streaming,
            ["music"] = Category.Streaming,
            ["radiotv"] = Category.Streaming,
            ["p2p"] = Category.PeerToPeer,
            ["filesharing"] = Category.PeerToPeer,
        };

        // Our own stable names always work as folder names.
        foreach (var info in Categories.All)
        {
            map[info.Name] = info.Category;
        }

        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>What <see cref="SquidGuardDirectoryReader"/> read.</summary>
public sealed class DirectoryReport(string root)
{
    /// <summary>The directory read.</summary>
    public string Root { get; } = root;

    /// <summary>Folders read, with their category.</summary>
    public List<(string Folder, Category Category)> MappedFolders { get; } = [];

    /// <summary>Folders with no category mapping (not read).</summary>
    public List<string> UnmappedFolders { get; } = [];

    /// <summary>One report per file read.</summary>
    public List<ListReport> Files { get; } = [];

    /// <summary>Entries accepted over all files.</summary>
    public int Accepted => Files.Sum(f => f.Accepted);

    /// <summary>Bad lines over all files.</summary>
    public int ProblemCount => Files.Sum(f => f.ProblemCount);
}
