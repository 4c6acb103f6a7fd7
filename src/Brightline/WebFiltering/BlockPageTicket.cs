using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Brightline.WebFiltering;

/// <summary>
/// The block page URL the decision API hands out carries a short-lived, server-protected ticket: the block page
/// then knows whose block it explains (their age-appropriate wording, their unblock request) and the reason the
/// decision gave, without trusting anything the browser could write into a link itself.
/// </summary>
public sealed class BlockPageTicket(IDataProtectionProvider provider, TimeProvider time)
{
    public const string QueryName = "why";

    /// <summary>Long enough for a pupil to read the page and send a request; a stale link shows the generic page.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    // The expiry is inside the protected payload and compared with the TimeProvider (the time-limited protector reads the system clock).
    private readonly IDataProtector _protector = provider.CreateProtector("Brightline.BrowserExtension.BlockPage");

    public string Protect(BlockTicket ticket) =>
        _protector.Protect(JsonSerializer.Serialize(ticket with { Expires = time.GetUtcNow() + Lifetime }));

    /// <summary>The ticket, or null when it is missing, altered or expired.</summary>
    public BlockTicket? Read(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 4000)
        {
            return null;
        }

        try
        {
            var ticket = JsonSerializer.Deserialize<BlockTicket>(_protector.Unprotect(text));
            return ticket is not null && ticket.Expires > time.GetUtcNow() ? ticket : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
