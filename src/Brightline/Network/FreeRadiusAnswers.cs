using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Brightline.Network;

/// <summary>
/// Repeat sign-ins answered by FreeRADIUS itself (issue 13's benchmark: a trust's devices rejoining at once). Through
/// rlm_rest FreeRADIUS spends about 0.4 ms of CPU per sign-in on the HTTP call alone — more than Brightline's warm
/// answer — so however fast Brightline is, two cores stop near a third of what FreeRADIUS manages from its own files.
/// Instead, a plain live Accept hands FreeRADIUS what it needs to give the same answer again for a few minutes
/// (<see cref="RadiusOptions.AnswerCacheSeconds"/>): the VLAN, the moment the session must end, and a salted SHA-256
/// of the password Brightline just checked. The generated site (<c>brightline_answered</c>) uses it only for the same
/// user name, network (NAS-Identifier, SSID) and device (Calling-Station-Id), with a password whose hash matches;
/// anything else — a different password, device or network, no entry — asks Brightline as before.
/// </summary>
/// <remarks>
/// Why the answer stays right, as <see cref="NetworkDecisionCache"/>'s does:
/// <list type="bullet">
/// <item>Only a plain Accept (<see cref="RadiusReasons.Accepted"/>) is handed out; refusals and quarantine are always
/// live, and a live Reject deletes the user name's entry.</item>
/// <item>Every access change of the school (a sanction, a signature, an approval, a leaver, a password change) makes
/// Brightline send FreeRADIUS a CoA message (<see cref="FreeRadiusAnswerFlush"/>) that replaces the generation the
/// entries belong to, so none is used again: every next sign-in is live. The message goes again five seconds later,
/// for an Accept that was decided before the change and stored just after it.</item>
/// <item>A new policy version: the first live Accept under it replaces the generation too (and so within
/// <see cref="RadiusOptions.AnswerCacheSeconds"/> at most, as for <see cref="NetworkDecisionCache"/>'s unpublished changes).</item>
/// <item>An entry ends no later than one minute before its session's own end (the next time window boundary, a
/// leaving day, a suspension already booked), and the Session-Timeout FreeRADIUS sends counts down to that same end.</item>
/// <item>Only where the school's settings name the CoA listener (<see cref="RadiusOptions.AnswerCaches"/>): without a
/// way to say "forget", nothing is handed out, and every sign-in is Brightline's.</item>
/// </list>
/// What it costs: FreeRADIUS's memory holds a fast-to-test hash of recently used passwords (salted per entry), for at
/// most a few minutes. FreeRADIUS already sees every password in clear as it arrives, so this widens nothing that a
/// reader of its memory would not have; sign-ins answered there reach Brightline's Network page through accounting,
/// not as "recent accepts".
/// </remarks>
public sealed class FreeRadiusAnswers(IOptions<RadiusOptions> options)
{
    /// <summary>Shorter entries are not worth a second store: the device would be asked again almost at once.</summary>
    public const int MinEntrySeconds = 10;

    /// <summary>Whether FreeRADIUS may answer repeat sign-ins at <paramref name="schoolId"/> (a CoA listener is named and the lifetime is not zero).</summary>
    public bool Enabled(string schoolId) =>
        options.Value.AnswerCacheSeconds > 0 && options.Value.AnswerCaches.TryGetValue(schoolId, out var endpoints) && endpoints.Count > 0;

    /// <summary>
    /// <paramref name="accept"/> with the entry FreeRADIUS may keep, when the school allows it and the answer is a plain
    /// Accept with a session long enough to be worth it; otherwise <paramref name="accept"/> unchanged.
    /// </summary>
    /// <param name="userName">As the request spelt it (the entry's key in FreeRADIUS).</param>
    /// <param name="policyVersion">The active policy version's ID: an entry from another version is never used.</param>
    public RadiusAnswer Offer(string schoolId, RadiusAnswer accept, string userName, string password, long policyVersion)
    {
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(password);
        if (accept is not { Kind: RadiusAnswerKind.Accept, Code: RadiusReasons.Accepted, SessionTimeoutSeconds: { } session } || !Enabled(schoolId)
            || !IsPlain(userName) || !IsPlain(password))
        {
            return accept;
        }

        // The entry lapses a minute before the session's end, so FreeRADIUS never counts a Session-Timeout below NetworkAccess's minimum.
        var seconds = Math.Min(options.Value.AnswerCacheSeconds, session - NetworkAccess.MinSessionSeconds);
        if (seconds < MinEntrySeconds)
        {
            return accept;
        }

        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return accept with
        {
            RepeatEntry = new RepeatEntry(salt, Hash(salt, password), session, seconds,
                policyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>What FreeRADIUS's <c>%{sha256:%{salt}%{User-Password}}</c> gives: lower-case hex of SHA-256 over the salt and the password's UTF-8.</summary>
    public static string Hash(string salt, string password) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + password)));

    /// <summary>
    /// FreeRADIUS prints a control character in an expansion as an escape, so its hash of such a password would never
    /// match: those sign-ins simply stay live. A '%' is left out too, as a value FreeRADIUS might expand.
    /// </summary>
    private static bool IsPlain(string value) => value.Length > 0 && !value.Any(c => char.IsControl(c) || c == '%');
}
