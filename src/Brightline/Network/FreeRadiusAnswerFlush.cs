using System.Net;
using Microsoft.Extensions.Options;

namespace Brightline.Network;

/// <summary>
/// Tells a school's FreeRADIUS servers to stop repeating the answers they keep (<see cref="FreeRadiusAnswers"/>): one
/// Disconnect-Request with no session named, to each CoA listener in <see cref="RadiusOptions.AnswerCaches"/>, signed
/// with the school's machine key. The generated <c>brightline-coa</c> site answers it by replacing the generation, so
/// every entry made before is stale. Sent by <see cref="DisconnectWorker"/> for every access change it takes, before the
/// live sessions are reconsidered (so a device that a Disconnect-Request throws off does not get the old answer back),
/// and again <see cref="RepeatAfter"/> later for an Accept that was in flight at the change (rlm_rest waits three
/// seconds at most).
/// </summary>
public sealed partial class FreeRadiusAnswerFlush(IOptions<RadiusOptions> options, DisconnectClient client, TimeProvider time, ILogger<FreeRadiusAnswerFlush> logger)
{
    public static readonly TimeSpan RepeatAfter = TimeSpan.FromSeconds(5);

    /// <summary>True when every listener acknowledged (or none is named); false asks the caller to try again later.</summary>
    public async Task<bool> FlushAsync(string schoolId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.AnswerCaches.TryGetValue(schoolId, out var endpoints) || endpoints.Count == 0
            || !settings.MachineKeys.TryGetValue(schoolId, out var key) || string.IsNullOrWhiteSpace(key))
        {
            return true;
        }

        var allAcknowledged = true;
        foreach (var endpoint in endpoints)
        {
            if (!IPEndPoint.TryParse(endpoint, out var listener))
            {
                continue; // RadiusOptions.Validate refused it at start
            }

            var reply = await client.SendAsync(listener, new DisconnectRequest { EventTimestamp = time.GetUtcNow() }, key.Trim(), cancellationToken);
            if (reply.Kind != DisconnectReplyKind.Ack)
            {
                allAcknowledged = false;
                LogNotAcknowledged(logger, endpoint, reply.Kind.ToString());
            }
        }

        return allAcknowledged;
    }

    /// <summary><see cref="FlushAsync"/> now and once more after <see cref="RepeatAfter"/> (in the background, by the injected clock).</summary>
    public async Task<bool> FlushTwiceAsync(string schoolId, CancellationToken cancellationToken)
    {
        var first = await FlushAsync(schoolId, cancellationToken);
        if (options.Value.AnswerCaches.ContainsKey(schoolId))
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await Task.Delay(RepeatAfter, time, cancellationToken);
                    await FlushAsync(schoolId, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: FreeRADIUS's entries lapse within minutes in any case.
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogNotAcknowledged(logger, schoolId, ex.GetType().Name);
                }
            }, CancellationToken.None);
        }

        return first;
    }

    [LoggerMessage(EventId = 13030, Level = LogLevel.Warning,
        Message = "FreeRADIUS's CoA listener {Listener} did not acknowledge 'forget the answers you keep' ({Outcome}); its entries lapse within Brightline:Radius:AnswerCacheSeconds.")]
    private static partial void LogNotAcknowledged(ILogger logger, string listener, string outcome);
}
