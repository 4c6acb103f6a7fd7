using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Brightline.Kernel;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Brightline.Portal;

/// <summary>Requests allowed per client address per minute on the pages that take guesses (issue 10, item 13).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Brightline:RateLimits";

    /// <summary>
    /// Sign-in, two-factor and password-reset form posts per client address per minute. Generous enough for a
    /// class of thirty signing in from one school address at once; account lockout still stops guessing one
    /// account's password, this stops one address trying thousands of accounts.
    /// </summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 60;

    /// <summary>
    /// Requests per client address per minute to the pages reached by an unguessable link or token (a parent's
    /// countersign link, the first-run set-up link) and the block page's report and unblock forms.
    /// </summary>
    [Range(1, 100_000)]
    public int PublicLinksPerMinute { get; set; } = 30;
}
