using System.Net;
using System.Threading.Channels;
using Brightline.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Brightline.Dns.Logging;

/// <summary>What the server did with a query.</summary>
public enum DnsDecision
{
    Forwarded,
    Cached,
    Blocked,
    BlockedNxDomain,
    Rewritten,
    Portal,
    Refused,
    Canary,
    FormErr,
    NotImp,
    ServFail,
}

/// <summary>One query's log record, handed to <see cref="IDnsDecisionSink"/> in batches.</summary>
public sealed record DnsDecisionRecord(
    DateTimeOffset Time,
    IPAddress ClientAddress,
    string QueryName,
    DnsRecordType QueryType,
    DnsTransport Transport,
    DnsDecision Decision,
    DnsResponseCode ResponseCode,
    string? Category,
    string? Reason,
    string? Profile,
    string? Person,
    TimeSpan Latency,
    string? School = null);

/// <summary>Stores decision records (e.g. in the database). Called from one background consumer at a time.</summary>
public interface IDnsDecisionSink
{
    ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken);
}

/// <summary>A sink that discards everything.</summary>
public sealed class NullDnsDecisionSink : IDnsDecisionSink
{
    public static NullDnsDecisionSink Instance { get; } = new();

    public ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>
/// A bounded channel between the answer path and the sink. <see cref="TryEnqueue"/> never blocks:
/// when the channel is full the record is counted as dropped. One background consumer drains the
/// channel in batches of up to <c>batchSize</c>, so a slow sink delays only logging, never answers.
/// The consumer lingers: when it wakes to fewer records than a batch, it waits <c>flushInterval</c>
/// for more before writing. Without that, at a school's usual load (hundreds to a few thousand
/// queries a second) every query woke a thread-pool worker and wrote a batch of one row — a database
/// transaction per query, and the worker's spin-wait for more work after each — which made the
/// filter cost several times Unbound's CPU per query (issue 18 §5, docs/benchmarks.md).
/// </summary>
public sealed partial class DnsDecisionLog : IAsyncDisposable
{
    private readonly Channel<DnsDecisionRecord> _channel;
    private readonly IDnsDecisionSink _sink;
    private readonly ILogger _logger;
    private readonly int _batchSize;
    private readonly TimeSpan _flushInterval;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _flushNow = new();
    private Task? _consumer;
    private long _dropped;
    private long _written;
    private long _sinkFailures;

    public DnsDecisionLog(IDnsDecisionSink sink, ILogger logger, int capacity = 10_000, int batchSize = 256, TimeSpan? flushInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _sink = sink;
        _logger = logger;
        _batchSize = batchSize;
        _flushInterval = flushInterval ?? DefaultFlushInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(_flushInterval, TimeSpan.Zero, nameof(flushInterval));
        _channel = Channel.CreateBounded<DnsDecisionRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>How long the consumer waits for a batch to fill: a decision reaches the log at most this late.</summary>
    public static TimeSpan DefaultFlushInterval { get; } = TimeSpan.FromMilliseconds(200);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    public long SinkFailures => Interlocked.Read(ref _sinkFailures);

    public void Start() => _consumer ??= Task.Run(() => ConsumeAsync(_stopping.Token));

    /// <summary>Queues a record without waiting; returns false (and counts a drop) when full.</summary>
    public bool TryEnqueue(DnsDecisionRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Stops accepting records and waits (up to the token) for the queue to drain.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        // Whatever is queued is written now rather than after the linger.
        await _flushNow.CancelAsync();
        if (_consumer is null)
        {
            return;
        }

        try
        {
            await _consumer.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await StopAsync(timeout.Token);
        _stopping.Dispose();
        _flushNow.Dispose();
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        var batch = new List<DnsDecisionRecord>(_batchSize);
        ChannelReader<DnsDecisionRecord> reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                if (reader.Count < _batchSize && _flushInterval > TimeSpan.Zero && !_flushNow.IsCancellationRequested)
                {
                    await LingerAsync();
                }

                while (batch.Count < _batchSize && reader.TryRead(out DnsDecisionRecord? record))
                {
                    batch.Add(record);
                }

                try
                {
                    await _sink.WriteAsync(batch, cancellationToken);
                    Interlocked.Add(ref _written, batch.Count);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _sinkFailures);
                    LogSinkFailed(_logger, batch.Count, exception.GetType().Name);
                }

                batch = new List<DnsDecisionRecord>(_batchSize);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task LingerAsync()
    {
        try
        {
            await Task.Delay(_flushInterval, _flushNow.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: write what is there.
        }
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "DNS decision sink failed; {Count} records lost ({ExceptionType})")]
    private static partial void LogSinkFailed(ILogger logger, int count, string exceptionType);
}
