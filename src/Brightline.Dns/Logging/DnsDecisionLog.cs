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
/// </summary>
public sealed partial class DnsDecisionLog : IAsyncDisposable
{
    private readonly Channel<DnsDecisionRecord> _channel;
    private readonly IDnsDecisionSink _sink;
    private readonly ILogger _logger;
    private readonly int _batchSize;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _consumer;
    private long _dropped;
    private long _written;
    private long _sinkFailures;

    public DnsDecisionLog(IDnsDecisionSink sink, ILogger logger, int capacity = 10_000, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _sink = sink;
        _logger = logger;
        _batchSize = batchSize;
        _channel = Channel.CreateBounded<DnsDecisionRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

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
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        var batch = new List<DnsDecisionRecord>(_batchSize);
        ChannelReader<DnsDecisionRecord> reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
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

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "DNS decision sink failed; {Count} records lost ({ExceptionType})")]
    private static partial void LogSinkFailed(ILogger logger, int count, string exceptionType);
}
