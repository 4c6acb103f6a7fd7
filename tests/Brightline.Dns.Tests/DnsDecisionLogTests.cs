using System.Net;
using Brightline.Dns.Logging;
using Brightline.Dns.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace Brightline.Dns.Tests;

/// <summary>The decision log's batching (issue 18 §5): a trickle of queries is written in batches, not a row per query.</summary>
public sealed class DnsDecisionLogTests
{
    private static DnsDecisionRecord Record(int i) => new(
        DateTimeOffset.UtcNow, IPAddress.Loopback, $"n{i}.example", DnsRecordType.A, DnsTransport.Udp,
        DnsDecision.Cached, DnsResponseCode.NoError, null, null, null, null, TimeSpan.Zero);

    [Fact]
    public async Task Trickle_IsWrittenInBatches_NotOneWritePerRecord()
    {
        var sink = new RecordingSink();
        await using var log = new DnsDecisionLog(sink, NullLogger.Instance, capacity: 1000, batchSize: 500, flushInterval: TimeSpan.FromSeconds(1));
        log.Start();

        // Twenty records arriving one by one, as queries do at a quiet school: before the change each woke the
        // consumer and became its own write (its own database transaction).
        for (int i = 0; i < 20; i++)
        {
            log.TryEnqueue(Record(i)).ShouldBeTrue();
        }

        (await sink.WaitForAsync(20)).Length.ShouldBe(20);
        sink.Writes.ShouldBeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task Stop_WritesWhatIsQueued_WithoutWaitingForTheBatchToFill()
    {
        var sink = new RecordingSink();
        var log = new DnsDecisionLog(sink, NullLogger.Instance, capacity: 1000, batchSize: 500, flushInterval: TimeSpan.FromMinutes(10));
        log.Start();
        for (int i = 0; i < 3; i++)
        {
            log.TryEnqueue(Record(i)).ShouldBeTrue();
        }

        // A ten-minute linger would outlast this deadline: stopping must cut it short and still write all three.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await log.StopAsync(deadline.Token);
        deadline.IsCancellationRequested.ShouldBeFalse();
        sink.Count.ShouldBe(3);
        await log.DisposeAsync();
    }

    private sealed class RecordingSink : IDnsDecisionSink
    {
        private readonly List<DnsDecisionRecord> _records = [];
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public int Count
        {
            get
            {
                lock (_records)
                {
                    return _records.Count;
                }
            }
        }

        public ValueTask WriteAsync(IReadOnlyList<DnsDecisionRecord> batch, CancellationToken cancellationToken)
        {
            lock (_records)
            {
                _records.AddRange(batch);
            }

            Interlocked.Increment(ref _writes);
            return ValueTask.CompletedTask;
        }

        public async Task<DnsDecisionRecord[]> WaitForAsync(int count)
        {
            for (int i = 0; i < 300 && Count < count; i++)
            {
                await Task.Delay(50);
            }

            lock (_records)
            {
                return [.. _records];
            }
        }
    }
}
