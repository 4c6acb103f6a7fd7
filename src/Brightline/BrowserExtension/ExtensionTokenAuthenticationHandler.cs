using System.Security.Claims;
using System.Text.Encodings.Web;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Brightline.BrowserExtension;

/// <summary>
/// Authenticates the browser extension by <c>Authorization: Bearer &lt;extension token&gt;</c>, as the device
/// tokens of the ingestion API do: the presented token's SHA-256 finds the enrolment, then the hashes are
/// compared again in constant time. A revoked token (by hand, or with its enrolment key) fails. A valid one
/// records when it was last seen, at most once per <see cref="LastSeenResolution"/>.
/// </summary>
public sealed class ExtensionTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BrightlineDbContext db,
    ExtensionTokenCache cache,
    TimeProvider time)
    : BearerSecretAuthenticationHandler(options, logger, encoder)
{
    public const string SchemeName = "ExtensionToken";

    /// <summary>
    /// How stale "last seen" may be: a busy browser asks for decisions on every navigation, and writing the
    /// time each call would turn every read into a write. (The ingestion API keeps its device's time the same way.)
    /// </summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    protected override string SecretName => "extension token";

    protected override async Task<IReadOnlyList<Claim>?> ClaimsForAsync(string hash, CancellationToken cancellationToken)
    {
        // Warm tokens are answered from memory (ExtensionTokenCache): the decision API must not wait on the database.
        var entry = cache.Find(hash);
        if (entry is null)
        {
            var row = await db.Set<ExtensionToken>().AsNoTracking()
                .Where(t => t.TokenHash == hash)
                .Select(t => new { t.Id, t.SchoolId, t.PersonId, t.TokenHash, t.RevokedAt, t.LastSeenAt })
                .FirstOrDefaultAsync(cancellationToken);
            if (row is null || !SecretTokens.SameHash(hash, row.TokenHash) || row.RevokedAt is not null)
            {
                return null;
            }

            entry = cache.Remember(hash, row.Id, row.SchoolId, row.PersonId, row.LastSeenAt);
        }

        var now = StoredTime.Now(time);
        if (entry.LastSeenAt is not { } seen || seen < now - LastSeenResolution)
        {
            // Set first, so concurrent calls of one browser in this process write it once; the condition is repeated
            // in SQL for other processes.
            entry.LastSeenAt = now;
            var stale = now - LastSeenResolution;
            await db.Set<ExtensionToken>().Where(t => t.Id == entry.Id && (t.LastSeenAt == null || t.LastSeenAt < stale))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastSeenAt, now), cancellationToken);
        }

        return
        [
            new Claim(ClaimTypes.Name, $"extension:{entry.Id}"),
            new Claim(ClaimTypes.NameIdentifier, $"extension:{entry.Id}"),
            new Claim(ExtensionClaims.Token, entry.Id.ToString()),
            new Claim(ExtensionClaims.School, entry.SchoolId),
            new Claim(ExtensionClaims.Person, entry.PersonId.ToString()),
        ];
    }

    protected override ProblemDetails ChallengeProblem() => new()
    {
        Title = "Extension token required",
        Detail = "Send Authorization: Bearer <extension token>. The extension enrols for one at /api/v1/extension/enrol; a revoked token must enrol again.",
        Extensions = { ["code"] = "token-revoked" },
    };
}
