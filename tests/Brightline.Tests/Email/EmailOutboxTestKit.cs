using Brightline.Email;
using Microsoft.Extensions.DependencyInjection;

namespace Brightline.Tests.Email;

/// <summary>Email goes through the outbox: tests that read the SMTP sink at once first let the outbox send what is due.</summary>
public static class EmailOutboxTestKit
{
    /// <summary>
    /// Runs one outbox pass now, as the worker would (after any pass the worker is in the middle of), and
    /// returns how many messages it sent. Afterwards every email due by the server's clock has reached the sink.
    /// </summary>
    public static Task<int> DeliverEmailAsync(this BrightlineServer server) =>
        server.Services.GetRequiredService<EmailOutboxDispatcher>().DeliverDueAsync(CancellationToken.None);
}
