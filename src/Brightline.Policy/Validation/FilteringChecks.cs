using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Brightline.Policy.Model;
using Brightline.Policy.Yaml;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>filtering:</c> section: groups and rules it names exist, illegal
/// categories (child abuse, terrorism) are never allowed, entries, CIDRs and addresses parse, and each
/// list says what category it holds. Category names themselves are checked by the schema's enum (with
/// a "did you mean"). Lists are not read here: the host reads them when it compiles the profiles and
/// reports their problems as file:line.
/// </summary>
internal sealed class FilteringChecks(List<YamlProblem> problems, IReadOnlyDictionary<string, string> groupKinds, IReadOnlyCollection<string> ruleIds)
{
    private static readonly IdnMapping s_idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    public void Run(YNode? filtering)
    {
        if (filtering is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        if (filtering.Get("fallback_group") is { } fallback)
        {
            CheckGroup(fallback, "filtering fallback_group");
        }

        CheckProfiles(filtering.Get("profiles"));
        CheckLists(filtering.Get("lists"));
        CheckNetworks(filtering.Get("networks"));
        CheckDns(filtering.Get("dns"));
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    private static IEnumerable<YNode> Items(YNode? node) => node is { Kind: YNodeKind.Sequence } ? node.Items : [];

    private static string? Text(YNode? node) => node is { Kind: YNodeKind.Scalar } && !node.IsNull ? node.Value : null;

    private void CheckGroup(YNode node, string owner)
    {
        if (Text(node) is { } id && !groupKinds.ContainsKey(id))
        {
            Add(node, $"{owner} refers to group '{id}', which is not defined{Suggest.Hint(id, groupKinds.Keys)}");
        }
    }

    private void CheckRule(YNode? node, string owner)
    {
        if (Text(node) is { } id && !ruleIds.Contains(id))
        {
            Add(node!, $"{owner} cites rule '{id}', which is not defined{Suggest.Hint(id, ruleIds)}");
        }
    }

    private void IllegalNotAllowed(YNode node, string where)
    {
        if (Text(node) is { } name && FilterCategoryNames.IsIllegal(name))
        {
            Add(node, $"{where} names '{name}', an illegal category: it is blocked for everyone, always, and no profile, list or schedule may allow it");
        }
    }

    private void CheckProfiles(YNode? profiles)
    {
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var profile in Items(profiles))
        {
            if (profile.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var groupNode = profile.Get("group");
            var group = Text(groupNode) ?? "?";
            var owner = $"filtering profile '{group}'";
            if (groupNode is not null)
            {
                CheckGroup(groupNode, "filtering profile");
                if (Text(groupNode) is { } g)
                {
                    if (seen.TryGetValue(g, out var first))
                    {
                        Add(groupNode, $"duplicate filtering profile for group '{g}' (first at line {first.Line}); a group has one profile");
                    }
                    else
                    {
                        seen.Add(g, groupNode);
                    }
                }
            }

            CheckRule(profile.Get("rule"), owner);
            foreach (var category in Items(profile.Get("allow_categories")))
            {
                IllegalNotAllowed(category, $"{owner} allow_categories");
            }

            foreach (var entry in Items(profile.Get("allow")))
            {
                CheckEntry(entry, owner, allow: true);
            }

            foreach (var entry in Items(profile.Get("deny")))
            {
                CheckEntry(entry, owner, allow: false);
            }

            var schedules = new Dictionary<string, YNode>(StringComparer.Ordinal);
            foreach (var schedule in Items(profile.Get("schedules")))
            {
                if (schedule.Get("name") is { } nameNode && Text(nameNode) is { } name)
                {
                    if (schedules.TryGetValue(name, out var first))
                    {
                        Add(nameNode, $"{owner} has two schedules named '{name}' (first at line {first.Line})");
                    }
                    else
                    {
                        schedules.Add(name, nameNode);
                    }
                }

                foreach (var category in Items(schedule.Get("unblock")))
                {
                    IllegalNotAllowed(category, $"{owner} schedule '{Text(schedule.Get("name")) ?? "?"}' unblock");
                }
            }
        }
    }

    private void CheckEntry(YNode entry, string owner, bool allow)
    {
        var list = allow ? "allow" : "deny";
        var textNode = entry.Kind == YNodeKind.Mapping ? entry.Get("entry") : entry;
        if (Text(textNode) is { } text && EntryProblem(text.Trim()) is { } problem)
        {
            Add(textNode!, $"{owner} {list} entry '{text}' {problem}");
        }

        if (entry.Kind != YNodeKind.Mapping)
        {
            return;
        }

        if (allow && entry.Get("category") is { } category)
        {
            IllegalNotAllowed(category, $"{owner} allow entry '{Text(textNode)}'");
        }

        CheckRule(entry.Get("rule"), $"{owner} {list} entry '{Text(textNode)}'");
    }

    /// <summary>
    /// Mirrors the engine's entry syntax (LocalRule.Parse): <c>example.com</c>, <c>*.example.com</c>,
    /// <c>=host.example.com</c>, <c>example.com/path</c>, optionally with http(s)://. Unicode names are
    /// accepted because the engine converts them to punycode.
    /// </summary>
    internal static string? EntryProblem(string text)
    {
        if (text.Length == 0)
        {
            return "is empty";
        }

        var exact = text.StartsWith('=');
        var rest = exact ? text[1..] : text;
        foreach (var scheme in (ReadOnlySpan<string>)["http://", "https://"])
        {
            if (rest.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                rest = rest[scheme.Length..];
                break;
            }
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? rest : rest[..slash];
        if (exact && slash >= 0)
        {
            return "mixes '=' (exact host) with a path; write either '=host' or 'host/path'";
        }

        if (!exact && host.StartsWith("*.", StringComparison.Ordinal))
        {
            host = host[2..];
        }
        else if (!exact && host.StartsWith('.'))
        {
            host = host[1..];
        }

        host = host.TrimEnd('.');
        if (host.Length == 0)
        {
            return "has no host name; write example.com, =host.example.com or example.com/path";
        }

        if (host.Any(c => c > 127))
        {
            try
            {
                host = s_idn.GetAscii(host);
            }
            catch (ArgumentException)
            {
                return "is not a valid host name";
            }
        }

        if (host.Length > 253)
        {
            return "is longer than a host name may be (253 characters)";
        }

        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return "is not a host name (letters, digits, '-' and '_' in dot-separated labels); write example.com, =host.example.com or example.com/path";
            }
        }

        return null;
    }

    private void CheckLists(YNode? lists)
    {
        var names = new Dictionary<string, YNode>(StringComparer.Ordinal);
        foreach (var list in Items(lists))
        {
            if (list.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var nameNode = list.Get("name");
            var name = Text(nameNode) ?? "?";
            if (nameNode is not null && Text(nameNode) is { } n)
            {
                if (names.TryGetValue(n, out var first))
                {
                    Add(nameNode, $"duplicate list name '{n}' (first at line {first.Line})");
                }
                else
                {
                    names.Add(n, nameNode);
                }
            }

            var format = Text(list.Get("format"));
            var category = list.Get("category");
            if (string.Equals(format, "squidguard", StringComparison.Ordinal))
            {
                if (category is not null)
                {
                    Add(category, $"list '{name}' is a squidguard folder tree, whose folders name their categories; remove 'category'");
                }
            }
            else if (format is not null && category is null)
            {
                Add(list, $"list '{name}' ({format}) holds one category; say which with 'category' (e.g. category: pornography)");
            }

            if (list.Get("path") is { } pathNode && Text(pathNode) is { } path && path.Trim().Length == 0)
            {
                Add(pathNode, $"list '{name}' has an empty 'path'");
            }
        }
    }

    private void CheckNetworks(YNode? networks)
    {
        var names = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var ranges = new Dictionary<IPNetwork, YNode>();
        foreach (var network in Items(networks))
        {
            if (network.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var name = Text(network.Get("name")) ?? "?";
            if (network.Get("name") is { } nameNode && Text(nameNode) is { } n && !names.TryAdd(n, nameNode))
            {
                Add(nameNode, $"duplicate network name '{n}' (first at line {names[n].Line})");
            }

            if (network.Get("group") is { } group)
            {
                CheckGroup(group, $"network '{name}'");
            }

            if (network.Get("cidr") is not { } cidrNode || Text(cidrNode) is not { } cidr)
            {
                continue;
            }

            if (!TryParseCidr(cidr, out var range, out var why))
            {
                Add(cidrNode, $"network '{name}' cidr '{cidr}' {why}");
            }
            else if (!ranges.TryAdd(range, cidrNode))
            {
                Add(cidrNode, $"network '{name}' repeats the range {range} (first at line {ranges[range].Line})");
            }
        }
    }

    /// <summary>Parses <c>address/prefix</c>; the address must be the network's first address, so a typo cannot widen a range silently.</summary>
    internal static bool TryParseCidr(string text, out IPNetwork network, out string why)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            why = "is not a CIDR range; write address/prefix, e.g. 10.20.0.0/16";
            return false;
        }

        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address))
        {
            why = $"has '{text[..slash]}', which is not an IP address";
            return false;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > max)
        {
            why = $"has prefix length '{text[(slash + 1)..]}'; it must be a whole number from 0 to {max}";
            return false;
        }

        if (!IPNetwork.TryParse(text, out network) || !network.BaseAddress.Equals(address))
        {
            var bytes = address.GetAddressBytes();
            for (var i = 0; i < bytes.Length; i++)
            {
                var keep = Math.Clamp(prefix - (i * 8), 0, 8);
                bytes[i] &= (byte)(0xFF << (8 - keep));
            }

            why = $"has bits set after the /{prefix} prefix; the range starts at {new IPAddress(bytes)}/{prefix}";
            network = default;
            return false;
        }

        why = "";
        return true;
    }

    private void CheckDns(YNode? dns)
    {
        if (dns is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        foreach (var listen in Items(dns.Get("listen")))
        {
            if (Text(listen) is { } text && !IPEndPoint.TryParse(text, out _))
            {
                Add(listen, $"dns listen '{text}' is not address:port (e.g. 127.0.0.1:5353 or [::1]:5353)");
            }
            else if (Text(listen) is { } t && IPEndPoint.TryParse(t, out var ep) && ep.Port == 0 && !t.EndsWith(":0", StringComparison.Ordinal))
            {
                Add(listen, $"dns listen '{t}' needs a port (e.g. {t}:5353)");
            }
        }

        foreach (var upstream in Items(dns.Get("upstreams")))
        {
            if (Text(upstream) is { } text && !IPEndPoint.TryParse(text, out _))
            {
                Add(upstream, $"dns upstream '{text}' is not an address or address:port (e.g. 1.1.1.1 or 10.0.0.2:53)");
            }
        }

        Address(dns.Get("block_page_ipv4"), "block_page_ipv4", AddressFamily.InterNetwork);
        Address(dns.Get("portal_ipv4"), "portal_ipv4", AddressFamily.InterNetwork);
        Address(dns.Get("block_page_ipv6"), "block_page_ipv6", AddressFamily.InterNetworkV6);
        Address(dns.Get("portal_ipv6"), "portal_ipv6", AddressFamily.InterNetworkV6);

        var answer = Text(dns.Get("blocked_answer")) ?? "address";
        if (string.Equals(answer, "address", StringComparison.Ordinal) && dns.Get("block_page_ipv4") is null && dns.Get("block_page_ipv6") is null)
        {
            Add(dns, "dns blocked_answer is 'address' (the default), so give 'block_page_ipv4' (and 'block_page_ipv6' if the school has IPv6), or set blocked_answer: nxdomain");
        }
    }

    private void Address(YNode? node, string key, AddressFamily family)
    {
        if (Text(node) is not { } text)
        {
            return;
        }

        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != family)
        {
            Add(node!, $"dns {key} '{text}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
        }
    }
}
