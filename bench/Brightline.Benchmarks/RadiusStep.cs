using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Brightline.Benchmarks;

/// <summary>
/// A small RADIUS load generator for bench/radius/run.sh, written from RFC 2865 (Access-Request, PAP User-Password
/// hiding §5.2, Response Authenticator §3) and RFC 3579 §3.2 (Message-Authenticator, which clients.conf requires
/// against BlastRADIUS). radclient prints no per-request latency and radperf is not in Debian, hence this.
/// <code>
/// radius --server 127.0.0.1:1812 --secret S --users FILE [--mode closed|open] [--concurrency C] [--rate R]
///        [--seconds S] [--once] [--max-requests N] [--timeout-ms 3000] [--seed N]
/// </code>
/// The users file has one <c>user TAB password TAB Called-Station-Id</c> per line.
/// <list type="bullet">
/// <item><c>closed</c>: C workers, each on its own socket, send one request and wait for its answer (or the timeout)
/// before the next: the highest rate the server sustains (latency then grows with C, as Little's law says).</item>
/// <item><c>open</c>: requests are due at a fixed rate R whatever the answers do, and each latency is measured from
/// the moment the request was <i>due</i>, not sent — a stalled server or a stalled generator cannot hide its queue
/// (no coordinated omission). This is the honest p99 "at R authentications/s".</item>
/// <item><c>--once</c>: each user once, in file order (the cold pass: every password's first check).</item>
/// </list>
/// Every answer's Response Authenticator is verified; an answer that fails it, or none within the timeout, is
/// <c>lost</c> and counts as slower than every answer in the percentiles. Every loop is bounded by time and count.
/// Prints one line of key=value pairs.
/// </summary>
public static class RadiusStep
{
    private const byte AccessRequest = 1;
    private const byte AccessAccept = 2;
    private const byte AccessReject = 3;

    public static async Task<int> Run(string[] args)
    {
        string server = Text(args, "--server", "127.0.0.1:1812");
        byte[] secret = Encoding.UTF8.GetBytes(Text(args, "--secret", "testing123"));
        string usersFile = Text(args, "--users", "users.tsv");
        string mode = Text(args, "--mode", "closed");
        int concurrency = Option(args, "--concurrency", 16);
        int rate = Option(args, "--rate", 1000);
        double seconds = Option(args, "--seconds", 15);
        bool once = args.Contains("--once");
        int maxRequests = Option(args, "--max-requests", 2_000_000);
        int timeoutMs = Option(args, "--timeout-ms", 3000);
        int seed = Option(args, "--seed", 20261202);

        var endpoint = IPEndPoint.Parse(server);
        var users = File.ReadLines(usersFile).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new User(f[0], f[1], f[2])).ToArray();
        if (users.Length == 0)
        {
            Console.Error.WriteLine("no users");
            return 2;
        }

        var picker = new Picker(users, once, seed);
        var result = mode switch
        {
            "closed" => await Closed(endpoint, secret, picker, concurrency, seconds, Math.Min(maxRequests, once ? users.Length : maxRequests), timeoutMs),
            "open" => await Open(endpoint, secret, picker, rate, seconds, Math.Min(maxRequests, once ? users.Length : maxRequests), timeoutMs),
            _ => throw new ArgumentException($"unknown --mode {mode}"),
        };
        Console.WriteLine(result.Summary(mode, mode == "open" ? rate : concurrency));
        return 0;
    }

    private static async Task<Result> Closed(IPEndPoint endpoint, byte[] secret, Picker picker, int concurrency, double seconds, int maxRequests, int timeoutMs)
    {
        var result = new Result();
        var watch = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        int issued = 0;
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(endpoint);
            var buffer = new byte[4096];
            var latencies = new List<double>();
            byte id = (byte)(w * 31);
            while (watch.Elapsed < deadline && Interlocked.Increment(ref issued) <= maxRequests && picker.Next() is { } user)
            {
                id++;
                var (packet, authenticator) = Build(id, user, secret);
                long sent = Stopwatch.GetTimestamp();
                await socket.SendAsync(packet, SocketFlags.None);
                using var timeout = new CancellationTokenSource(timeoutMs);
                var outcome = Outcome.Lost;
                try
                {
                    // Bounded: a stray or late answer (another ID) is read and dropped, until the timeout.
                    for (int reads = 0; reads < 16 && outcome == Outcome.Lost; reads++)
                    {
                        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                        outcome = Check(buffer.AsSpan(0, n), id, authenticator, secret);
                        if (outcome == Outcome.Stray)
                        {
                            outcome = Outcome.Lost;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }

                result.Count(outcome);
                if (outcome != Outcome.Lost)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            }

            result.Add(latencies);
        })).ToArray();
        await Task.WhenAll(workers);
        result.Seconds = watch.Elapsed.TotalSeconds;
        return result;
    }

    private static async Task<Result> Open(IPEndPoint endpoint, byte[] secret, Picker picker, int rate, double seconds, int maxRequests, int timeoutMs)
    {
        // Slots: socket × RADIUS ID; 64 sockets give 16,384 requests in flight before a slot is reused.
        const int Sockets = 64;
        var result = new Result();
        var sockets = Enumerable.Range(0, Sockets).Select(_ =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Connect(endpoint);
            return s;
        }).ToArray();
        var due = new long[Sockets * 256];          // Stopwatch timestamp the request was due; 0 = free
        var authenticators = new byte[Sockets * 256][];
        var gate = new object();
        using var stop = new CancellationTokenSource();
        var receivers = Enumerable.Range(0, Sockets).Select(s => Task.Run(async () =>
        {
            var buffer = new byte[4096];
            var latencies = new List<double>();
            while (!stop.IsCancellationRequested)
            {
                int n;
                try
                {
                    n = await sockets[s].ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException)
                {
                    continue;
                }

                long now = Stopwatch.GetTimestamp();
                if (n < 20)
                {
                    continue;
                }

                int slot = (s * 256) + buffer[1];
                long at;
                byte[]? authenticator;
                lock (gate)
                {
                    at = due[slot];
                    authenticator = authenticators[slot];
                }

                if (at == 0 || authenticator is null)
                {
                    continue;
                }

                var outcome = Check(buffer.AsSpan(0, n), buffer[1], authenticator, secret);
                if (outcome is Outcome.Lost or Outcome.Stray)
                {
                    continue;
                }

                lock (gate)
                {
                    if (due[slot] != at)
                    {
                        continue;
                    }

                    due[slot] = 0;
                }

                result.Count(outcome);
                latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
            }

            result.Add(latencies);
        })).ToArray();

        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(seconds * Stopwatch.Frequency);
        double perRequest = (double)Stopwatch.Frequency / rate;
        long i = 0;
        var sender = Task.Run(async () =>
        {
            while (i < maxRequests)
            {
                long at = start + (long)(i * perRequest);
                if (at >= end)
                {
                    break;
                }

                long now = Stopwatch.GetTimestamp();
                if (at > now)
                {
                    // Sleep to the next due time (about 1 ms granularity); latencies count from the due time anyway.
                    await Task.Delay(TimeSpan.FromTicks(Math.Max(1, (at - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                    continue;
                }

                if (picker.Next() is not { } user)
                {
                    break;
                }

                int socket = (int)(i % Sockets);
                byte id = (byte)(i / Sockets % 256);
                int slot = (socket * 256) + id;
                var (packet, authenticator) = Build(id, user, secret);
                lock (gate)
                {
                    if (due[slot] != 0)
                    {
                        result.Count(Outcome.Lost); // still unanswered 16,384 requests later
                    }

                    due[slot] = at;
                    authenticators[slot] = authenticator;
                }

                try
                {
                    sockets[socket].Send(packet);
                }
                catch (SocketException)
                {
                }

                i++;
            }
        });
        await sender;
        // Answers still on their way: wait up to the timeout (bounded), then whatever is unanswered is lost.
        for (int waited = 0; waited < timeoutMs; waited += 50)
        {
            bool outstanding;
            lock (gate)
            {
                outstanding = due.Any(d => d != 0);
            }

            if (!outstanding)
            {
                break;
            }

            await Task.Delay(50);
        }

        result.Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        stop.Cancel();
        await Task.WhenAll(receivers);
        lock (gate)
        {
            foreach (long d in due)
            {
                if (d != 0)
                {
                    result.Count(Outcome.Lost);
                }
            }
        }

        foreach (var s in sockets)
        {
            s.Dispose();
        }

        result.Offered = i;
        return result;
    }

    /// <summary>An Access-Request for PAP, as a Wi-Fi controller sends it (RFC 2865 §4.1, RFC 3580).</summary>
    private static (byte[] Packet, byte[] Authenticator) Build(byte id, User user, byte[] secret)
    {
        var authenticator = RandomNumberGenerator.GetBytes(16);
        var packet = new List<byte>(256) { AccessRequest, id, 0, 0 };
        packet.AddRange(authenticator);
        void Attribute(byte type, ReadOnlySpan<byte> value)
        {
            packet.Add(type);
            packet.Add((byte)(value.Length + 2));
            packet.AddRange(value.ToArray());
        }

        Attribute(1, Encoding.UTF8.GetBytes(user.Name));
        Attribute(2, HidePassword(Encoding.UTF8.GetBytes(user.Password), authenticator, secret));
        Attribute(4, [127, 0, 0, 1]);                          // NAS-IP-Address
        Attribute(61, [0, 0, 0, 19]);                          // NAS-Port-Type = Wireless-802.11
        Attribute(30, Encoding.ASCII.GetBytes(user.Called));   // Called-Station-Id: AP MAC:SSID
        Attribute(31, Encoding.ASCII.GetBytes(user.Mac));      // Calling-Station-Id: the device
        int messageAuthenticator = packet.Count + 2;
        Attribute(80, new byte[16]);
        var bytes = packet.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        HMACMD5.HashData(secret, bytes).CopyTo(bytes.AsSpan(messageAuthenticator));
        return (bytes, authenticator);
    }

    /// <summary>RFC 2865 §5.2: the password padded to 16-byte blocks, each XORed with MD5(secret + the previous block).</summary>
    private static byte[] HidePassword(byte[] password, byte[] authenticator, byte[] secret)
    {
        int length = Math.Max(16, (password.Length + 15) / 16 * 16);
        var hidden = new byte[length];
        password.CopyTo(hidden, 0);
        var previous = authenticator;
        for (int block = 0; block < length; block += 16)
        {
            var b = MD5.HashData([.. secret, .. previous]);
            for (int k = 0; k < 16; k++)
            {
                hidden[block + k] ^= b[k];
            }

            previous = hidden[block..(block + 16)];
        }

        return hidden;
    }

    /// <summary>RFC 2865 §3: Response Authenticator = MD5(Code + ID + Length + Request Authenticator + Attributes + Secret).</summary>
    private static Outcome Check(ReadOnlySpan<byte> reply, byte id, byte[] authenticator, byte[] secret)
    {
        if (reply.Length < 20 || reply[1] != id || BinaryPrimitives.ReadUInt16BigEndian(reply[2..]) != reply.Length)
        {
            return Outcome.Stray;
        }

        var check = new byte[reply.Length + secret.Length];
        reply.CopyTo(check);
        authenticator.CopyTo(check, 4);
        secret.CopyTo(check, reply.Length);
        if (!MD5.HashData(check).AsSpan().SequenceEqual(reply.Slice(4, 16)))
        {
            return Outcome.Lost;
        }

        return reply[0] switch
        {
            AccessAccept => Outcome.Accept,
            AccessReject => Outcome.Reject,
            _ => Outcome.Lost,
        };
    }

    private static string Text(string[] args, string name, string fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private enum Outcome
    {
        Accept,
        Reject,
        Lost,
        Stray,
    }

    private sealed record User(string Name, string Password, string Called)
    {
        /// <summary>A stable made-up MAC per user (locally administered), as the device's Calling-Station-Id.</summary>
        public string Mac { get; } = string.Join('-', new byte[] { 0x02 }.Concat(MD5.HashData(Encoding.UTF8.GetBytes(Name)).Take(5)).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }

    /// <summary>Users in file order once (--once), or at random with a fixed seed.</summary>
    private sealed class Picker(User[] users, bool once, int seed)
    {
        private readonly Random _random = new(seed);
        private int _next = -1;

        public User? Next()
        {
            if (once)
            {
                int i = Interlocked.Increment(ref _next);
                return i < users.Length ? users[i] : null;
            }

            lock (_random)
            {
                return users[_random.Next(users.Length)];
            }
        }
    }

    private sealed class Result
    {
        private readonly ConcurrentBag<List<double>> _latencies = [];
        private long _accepted;
        private long _rejected;
        private long _lost;

        public double Seconds { get; set; }

        public long Offered { get; set; }

        public void Count(Outcome outcome)
        {
            switch (outcome)
            {
                case Outcome.Accept:
                    Interlocked.Increment(ref _accepted);
                    break;
                case Outcome.Reject:
                    Interlocked.Increment(ref _rejected);
                    break;
                case Outcome.Lost:
                case Outcome.Stray:
                default:
                    Interlocked.Increment(ref _lost);
                    break;
            }
        }

        public void Add(List<double> latencies) => _latencies.Add(latencies);

        public string Summary(string mode, int load)
        {
            var all = _latencies.SelectMany(l => l).Order().ToArray();
            long answered = _accepted + _rejected;
            long total = answered + _lost;
            // A lost request is slower than every answer: percentiles over all requests, lost ones at the top.
            string P(double q)
            {
                if (total == 0)
                {
                    return "n/a";
                }

                long rank = (long)Math.Ceiling(q * total) - 1;
                return rank < all.Length ? all[Math.Max(0, rank)].ToString("F2", CultureInfo.InvariantCulture) : "inf";
            }

            string loadName = mode == "open" ? "offered_per_s" : "concurrency";
            return string.Create(CultureInfo.InvariantCulture,
                $"mode={mode} {loadName}={load} auth_per_s={answered / Math.Max(Seconds, 1e-9):F0} accepted={_accepted} rejected={_rejected} lost={_lost} p50_ms={P(0.50)} p99_ms={P(0.99)} max_ms={(all.Length > 0 ? all[^1] : 0):F2} seconds={Seconds:F1}");
        }
    }
}
