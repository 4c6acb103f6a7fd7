using System.Globalization;

namespace Brightline.Filtering.Lists;

/// <summary>What an RPZ answer does to a blocked name.</summary>
public enum RpzAction
{
    /// <summary><c>CNAME .</c>: the name does not exist.</summary>
    NxDomain,

    /// <summary><c>CNAME *.</c>: the name exists but has no data.</summary>
    NoData,

    /// <summary><c>CNAME block-host.</c>: answer with the block page's host.</summary>
    Redirect,
}

/// <summary>Options for <see cref="RpzWriter"/>.</summary>
public sealed record RpzOptions
{
    /// <summary>Zone name; Unbound's <c>rpz:</c> / BIND's <c>response-policy</c> zone must use the same.</summary>
    public string Origin { get; init; } = "rpz.brightline.local";

    /// <summary>SOA serial; bump on every export (e.g. yyyymmddnn).</summary>
    public uint Serial { get; init; } = 1;

    /// <summary>Default TTL of the policy records, in seconds.</summary>
    public int Ttl { get; init; } = 300;

    /// <summary>What blocked names answer.</summary>
    public RpzAction Action { get; init; } = RpzAction.NxDomain;

    /// <summary>Block page host for <see cref="RpzAction.Redirect"/>.</summary>
    public string? RedirectHost { get; init; }
}

/// <summary>Result of an RPZ export.</summary>
/// <param name="Names">Names written (each domain adds an apex and a wildcard record).</param>
/// <param name="Records">Policy records written.</param>
/// <param name="UrlRulesOmitted">URL-prefix rules that DNS cannot express and were left out.</param>
public sealed record RpzExportResult(int Names, int Records, int UrlRulesOmitted);

/// <summary>
/// Writes a Response Policy Zone (draft-vixie-dnsop-dns-rpz) master file that Unbound and BIND load:
/// SOA and NS at the apex, then per domain <c>name CNAME .</c> and <c>*.name CNAME .</c> (the
/// wildcard carries subdomain matching), per exact host only <c>name CNAME .</c>.
/// </summary>
public static class RpzWriter
{
    /// <summary>Writes every entry of <paramref name="lists"/> in <paramref name="categories"/>.</summary>
    public static RpzExportResult Write(TextWriter writer, CategoryLists lists, CategorySet categories, RpzOptions? options = null)
    {
        options ??= new RpzOptions();
        var target = options.Action switch
        {
            RpzAction.NxDomain => ".",
            RpzAction.NoData => "*.",
            RpzAction.Redirect => RedirectTarget(options.RedirectHost),
            _ => ".",
        };

        var origin = options.Origin.TrimEnd('.');
        writer.Write("; Brightline response policy zone: categories ");
        writer.WriteLine(categories.ToString());
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"$ORIGIN {origin}."));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"$TTL {options.Ttl}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"@ IN SOA localhost. hostmaster.localhost. ( {options.Serial} 3600 600 86400 {options.Ttl} )"));
        writer.WriteLine("@ IN NS localhost.");

        int names = 0, records = 0;
        foreach (var entry in lists.Domains.Entries())
        {
            if (entry.DomainCategories.Overlaps(categories))
            {
                writer.Write(entry.Name);
                writer.Write(" CNAME ");
                writer.WriteLine(target);
                writer.Write("*.");
                writer.Write(entry.Name);
                writer.Write(" CNAME ");
                writer.WriteLine(target);
                names++;
                records += 2;
            }
            else if (entry.ExactHostCategories.Overlaps(categories))
            {
                writer.Write(entry.Name);
                writer.Write(" CNAME ");
                writer.WriteLine(target);
                names++;
                records++;
            }
        }

        var omitted = lists.Urls.Entries().Count(e => e.Categories.Overlaps(categories));
        return new RpzExportResult(names, records, omitted);
    }

    private static string RedirectTarget(string? host)
    {
        var normal = host is null ? null : HostName.NormaliseToString(host);
        if (normal is null)
        {
            ThrowHelper.ThrowConfiguration($"RPZ redirect needs a valid block host, not '{host}'.");
        }

        return normal + ".";
    }
}

/// <summary>
/// Reads an RPZ master file back as a list (our own exports, or a vendor's feed). Names with both an
/// apex and a wildcard record, or only a wildcard, become domains; apex-only names become exact
/// hosts. <c>rpz-passthru.</c> records (allow) and the RPZ trigger forms (<c>rpz-ip</c>,
/// <c>rpz-nsdname</c>, ...) are skipped. Never throws on content.
/// </summary>
public static class RpzReader
{
    /// <summary>Reads from <paramref name="reader"/>; <paramref name="origin"/> defaults to the file's <c>$ORIGIN</c>.</summary>
    public static ListReport Read(TextReader reader, IListSink sink, string source, string? origin = null)
    {
        var report = new ListReport(source);
        var zone = origin?.TrimEnd('.').ToLowerInvariant();
        var names = new Dictionary<string, (bool Apex, bool Wildcard)>(StringComparer.Ordinal);
        var order = new List<string>();
        string? owner = null;
        var inParens = false;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            report.Lines++;
            var semicolon = line.IndexOf(';', StringComparison.Ordinal);
            var text = semicolon >= 0 ? line[..semicolon] : line;
            if (inParens)
            {
                inParens = !text.Contains(')', StringComparison.Ordinal);
                continue;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            inParens = text.Contains('(', StringComparison.Ordinal) && !text.Contains(')', StringComparison.Ordinal);
            var tokens = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens[0].StartsWith('$'))
            {
                if (tokens[0].Equals("$ORIGIN", StringComparison.OrdinalIgnoreCase) && tokens.Length > 1 && origin is null)
                {
                    zone = tokens[1].TrimEnd('.').ToLowerInvariant();
                }

                continue;
            }

            var index = 0;
            if (!char.IsWhiteSpace(text[0]))
            {
                owner = tokens[0];
                index = 1;
            }

            if (owner is null)
            {
                report.AddProblem(report.Lines, text.Trim(), "record without an owner name");
                continue;
            }

            // Skip the optional TTL and class, in either order.
            while (index < tokens.Length && (IsTtl(tokens[index]) || IsClass(tokens[index])))
            {
                index++;
            }

            if (index >= tokens.Length)
            {
                report.AddProblem(report.Lines, text.Trim(), "record without a type");
                continue;
            }

            var type = tokens[index];
            var rdata = index + 1 < tokens.Length ? tokens[index + 1] : null;
            if (type.Equals("SOA", StringComparison.OrdinalIgnoreCase) || type.Equals("NS", StringComparison.OrdinalIgnoreCase)
                || type.Equals("TXT", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var blocks = type.Equals("CNAME", StringComparison.OrdinalIgnoreCase)
                ? rdata is not null && !rdata.StartsWith("rpz-passthru", StringComparison.OrdinalIgnoreCase)
                : type.Equals("A", StringComparison.OrdinalIgnoreCase) || type.Equals("AAAA", StringComparison.OrdinalIgnoreCase);
            if (!blocks)
            {
                report.Skipped++;
                continue;
            }

            var name = Relative(owner, zone);
            if (name is null || name == "@")
            {
                report.Skipped++;
                continue;
            }

            var wildcard = name.StartsWith("*.", StringComparison.Ordinal);
            if (wildcard)
            {
                name = name[2..];
            }

            if (name.Contains("rpz-", StringComparison.OrdinalIgnoreCase))
            {
                report.Skipped++;
                continue;
            }

            var normal = HostName.NormaliseToString(name);
            if (normal is null)
            {
                report.AddProblem(report.Lines, text.Trim(), "not a valid host name");
                continue;
            }

            if (!names.TryGetValue(normal, out var flags))
            {
                order.Add(normal);
            }

            names[normal] = wildcard ? (flags.Apex, true) : (true, flags.Wildcard);
        }

        Span<byte> buffer = stackalloc byte[HostName.BufferSize];
        foreach (var name in order)
        {
            HostName.TryNormalise(name, buffer, out var length);
            if (names[name].Wildcard)
            {
                sink.AddDomain(buffer[..length]);
            }
            else
            {
                sink.AddExactHost(buffer[..length]);
            }

            report.Accepted++;
        }

        return report;
    }

    private static bool IsTtl(string token) => token.Length > 0 && char.IsAsciiDigit(token[0]) && uint.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static bool IsClass(string token) =>
        token.Equals("IN", StringComparison.OrdinalIgnoreCase) || token.Equals("CH", StringComparison.OrdinalIgnoreCase) || token.Equals("HS", StringComparison.OrdinalIgnoreCase);

    private static string? Relative(string owner, string? zone)
    {
        if (!owner.EndsWith('.'))
        {
            return owner;
        }

        var absolute = owner.TrimEnd('.');
        if (zone is null)
        {
            return absolute;
        }

        if (absolute.Equals(zone, StringComparison.OrdinalIgnoreCase))
        {
            return "@";
        }

        return absolute.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase) ? absolute[..^(zone.Length + 1)] : null;
    }
}
