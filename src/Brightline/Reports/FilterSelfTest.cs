using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Brightline.DnsFiltering;
using Brightline.Dns.Wire;
using Brightline.Filtering;
using Brightline.WebFiltering;
using Brightline.Filtering.Lists;
using Brightline.Policy.Model;

namespace Brightline.Reports;

/// <summary>
/// The review pack's self-test: for each category, a sample name taken from the school's own lists, sent as a
/// real DNS query over UDP to the live DNS filter from an address in each group's client network, and compared
/// with what the policy (as compiled) expects for that group now. It proves the running filter, not just the
/// configuration: a filter that is down, listening elsewhere, or mapping a network to the wrong group fails here.
/// </summary>
/// <remarks>
/// A query can only come "from" a group's network if this server holds an address in it. On a single server the
/// DNS filter usually listens on loopback and the policy's networks are on the LAN, so such groups are reported
/// "not run" with the reason, rather than pretending; a school that maps a test network (or loopback) to a group
/// gets real results for it.
/// </remarks>
public sealed class FilterSelfTest(FilterService filters, DnsHost dns, TimeProvider time)
{
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Unanswered queries in a row after which the rest are recorded as failed without asking.</summary>
    public const int MaxSilent = 3;

    public async Task<SelfTestReport> RunAsync(string schoolId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var filter = await filters.GetAsync(schoolId, cancellationToken);
        var policy = filter.Policy;
        var samples = Samples(filter, filters.Options.ListRoot);
        var endpoint = dns.EndPoints.FirstOrDefault(e => e.AddressFamily == AddressFamily.InterNetwork);
        if (endpoint is not null && endpoint.Address.Equals(IPAddress.Any))
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, endpoint.Port);
        }

        var rows = new List<SelfTestRow>();
        var silent = 0;
        foreach (var profile in policy.Filtering.Profiles)
        {
            var group = profile.Group;
            var from = endpoint is null ? null : SourceAddressFor(filter, group);
            foreach (var info in Categories.All)
            {
                if (!samples.TryGetValue(info.Category, out var sample))
                {
                    rows.Add(new SelfTestRow(group, info.Name, null, null, null, null, SelfTestResults.NotRun, "No sample name: the school's lists have none in this category."));
                    continue;
                }

                var expected = filter.Engine.Decide(new FilterRequest(filter.ProfilesFor([group]), sample, now)).Outcome == DecisionOutcome.Block;
                if (endpoint is null)
                {
                    rows.Add(new SelfTestRow(group, info.Name, sample, null, expected, null, SelfTestResults.NotRun, "The DNS filter is not running on this server."));
                    continue;
                }

                if (from is null)
                {
                    rows.Add(new SelfTestRow(group, info.Name, sample, null, expected, null, SelfTestResults.NotRun,
                        "This server has no address in any network the policy maps to this group."));
                    continue;
                }

                if (silent >= MaxSilent)
                {
                    // A filter that has stopped answering would otherwise hold the review up for minutes, query by query.
                    rows.Add(new SelfTestRow(group, info.Name, sample, from.ToString(), expected, null, SelfTestResults.Fail,
                        "Not asked: the DNS filter did not answer the previous queries."));
                    continue;
                }

                var (blocked, detail) = await AskAsync(from, endpoint, sample, policy.Filtering.Dns, cancellationToken);
                silent = blocked is null ? silent + 1 : 0;
                var result = blocked is null ? SelfTestResults.Fail : blocked == expected ? SelfTestResults.Pass : SelfTestResults.Fail;
                rows.Add(new SelfTestRow(group, info.Name, sample, from.ToString(), expected, blocked, result, detail));
            }
        }

        return new SelfTestReport(now, endpoint?.ToString(), rows);
    }

    /// <summary>One name per category from the lists the policy loads, checked to be in that category in the compiled filter.</summary>
    public static IReadOnlyDictionary<Category, string> Samples(SchoolFilter filter, string listRoot)
    {
        var found = new Dictionary<Category, string>();
        var lists = filter.Engine.Current.Lists;
        void Offer(Category category, string name)
        {
            if (!found.ContainsKey(category) && lists.Match(name).Contains(category))
            {
                found[category] = name;
            }
        }

        foreach (var list in filter.Policy.Filtering.Lists)
        {
            var path = Path.IsPathRooted(list.Path) ? list.Path : Path.GetFullPath(Path.Combine(listRoot, list.Path));
            try
            {
                if (list.Format == FilterListFormat.Squidguard)
                {
                    if (!Directory.Exists(path))
                    {
                        continue;
                    }

                    foreach (var folder in Directory.EnumerateDirectories(path).Order(StringComparer.Ordinal))
                    {
                        var domains = Path.Combine(folder, "domains");
                        if (SquidGuardDirectoryReader.DefaultFolderMap.TryGetValue(Path.GetFileName(folder), out var folderCategory) && File.Exists(domains))
                        {
                            var sink = new FirstNames();
                            PlainListReader.ReadFile(domains, sink);
                            sink.Names.ForEach(n => Offer(folderCategory, n));
                        }
                    }

                    continue;
                }

                if (!File.Exists(path) || list.Category is null || !Categories.TryParse(list.Category, out var category))
                {
                    continue;
                }

                var names = new FirstNames();
                _ = list.Format switch
                {
                    FilterListFormat.Plain => PlainListReader.ReadFile(path, names),
                    FilterListFormat.Hosts => HostsFileReader.ReadFile(path, names),
                    FilterListFormat.Adblock => AdblockListReader.ReadFile(path, names),
                    FilterListFormat.E2guardian => E2GuardianListReader.ReadFile(path, names),
                    // RPZ zones are exported, rarely loaded; squidGuard trees are read above.
                    FilterListFormat.Rpz or FilterListFormat.Squidguard => null,
                    _ => null,
                };
                names.Names.ForEach(n => Offer(category, n));
            }
            catch (IOException)
            {
                // An unreadable list gives no samples; its category is reported "not run".
            }
        }

        return found;
    }

    /// <summary>
    /// An address this server can send from that the policy's networks place in <paramref name="group"/>: a loopback
    /// address when the group's network is on loopback, else one of this machine's own addresses inside the network.
    /// </summary>
    private static IPAddress? SourceAddressFor(SchoolFilter filter, string group)
    {
        var local = LocalAddresses();
        foreach (var network in filter.Policy.Filtering.Networks.Where(n => string.Equals(n.Group, group, StringComparison.Ordinal)))
        {
            if (!IPNetwork.TryParse(network.Cidr, out var range) || range.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                continue;
            }

            var candidates = new List<IPAddress>();
            if (IPAddress.IsLoopback(range.BaseAddress))
            {
                var bytes = range.BaseAddress.GetAddressBytes();
                if (range.PrefixLength < 32)
                {
                    bytes[3] = (byte)(bytes[3] + 1);
                }

                candidates.Add(new IPAddress(bytes));
            }

            candidates.AddRange(local.Where(range.Contains));
            foreach (var candidate in candidates)
            {
                // The most specific network decides, so a candidate another network claims is not this group's.
                if (string.Equals(filter.GroupFor(candidate), group, StringComparison.Ordinal) && CanBind(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static List<IPAddress> LocalAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }

    private static bool CanBind(IPAddress address)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Asks for an A record from <paramref name="from"/>; blocked = the block page's address, 0.0.0.0, or NXDOMAIN when the policy blocks that way.</summary>
    private static async Task<(bool? Blocked, string Detail)> AskAsync(IPAddress from, IPEndPoint server, string name, DnsSettings settings, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(server, cancellationToken);
                var query = new DnsMessage { Id = (ushort)System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, ushort.MaxValue), RecursionDesired = true };
                query.Questions.Add(new DnsQuestion(name, DnsRecordType.A));
                await socket.SendAsync(query.ToArray(), SocketFlags.None, cancellationToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(QueryTimeout);
                var buffer = new byte[4096];
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                var answer = DnsMessage.Parse(buffer.AsSpan(0, received));
                var address = answer.Answers.Select(a => a.Data).OfType<ARecordData>().FirstOrDefault()?.Address;
                if (answer.ResponseCode == DnsResponseCode.NXDomain)
                {
                    return (settings.BlockedAnswer == BlockedAnswer.Nxdomain, "NXDOMAIN");
                }

                if (answer.ResponseCode == DnsResponseCode.Refused)
                {
                    return (null, "Refused: the filter did not recognise the client address.");
                }

                if (address is null)
                {
                    return (false, $"{answer.ResponseCode}, no address");
                }

                var blockPage = settings.BlockPageIpv4 is { } b && IPAddress.TryParse(b, out var page) ? page : null;
                var blocked = address.Equals(blockPage) || address.Equals(IPAddress.Any);
                return (blocked, blocked ? $"{address} (block page)" : address.ToString());
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer in time: try once more, then record the failure.
            }
            catch (SocketException e)
            {
                return (null, $"No answer ({e.SocketErrorCode}).");
            }
        }

        return (null, "No answer from the DNS filter.");
    }

    /// <summary>The first few names of a list (domains and exact hosts), as text.</summary>
    private sealed class FirstNames : IListSink
    {
        public List<string> Names { get; } = [];

        public void AddDomain(ReadOnlySpan<byte> normalisedName) => Add(normalisedName);

        public void AddExactHost(ReadOnlySpan<byte> normalisedName) => Add(normalisedName);

        public void AddUrlPrefix(ReadOnlySpan<byte> normalisedHost, string pathPrefix)
        {
            // A URL prefix blocks a path, not a whole name, so DNS cannot show it; not a sample.
        }

        private void Add(ReadOnlySpan<byte> name)
        {
            if (Names.Count < 20)
            {
                Names.Add(Encoding.ASCII.GetString(name));
            }
        }
    }
}
