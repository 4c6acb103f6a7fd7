using System.Globalization;
using System.Text.Json.Nodes;

namespace Brightline.Network;

/// <summary>
/// Brightline's answer to one FreeRADIUS call, and its rlm_rest JSON body. Every value is sent with
/// <c>do_xlat: false</c>: FreeRADIUS would otherwise expand <c>%{…}</c> in it, and a message may quote text a
/// person typed (an agreement title, a network name).
/// </summary>
/// <param name="Code">A stable reason code (for logs, tests and the coming Network page); never sent to the NAS.</param>
/// <param name="Message">Reply-Message: plain words for the person or the IT provider reading the NAS log.</param>
public sealed record RadiusAnswer(RadiusAnswerKind Kind, string Code, string? Message = null)
{
    public string? Vlan { get; init; }
    public int? SessionTimeoutSeconds { get; init; }

    /// <summary>
    /// An Accept in authorize (a registered school device, by MAC authentication): also <c>control:Auth-Type := Accept</c>,
    /// so FreeRADIUS accepts without a password check — MAC authentication has no secret to check, and Brightline alone
    /// says which MACs pass.
    /// </summary>
    public bool AcceptWithoutPassword { get; init; }

    /// <summary>
    /// For a network that stays up from FreeRADIUS's cache while Brightline is unreachable: a salted PBKDF2 hash of the
    /// password just accepted (rlm_pap's PBKDF2-Password form), kept with the VLAN so that a later sign-in during an
    /// outage is checked against it — never the password itself, and never an Accept without a password check.
    /// </summary>
    public string? CachedPasswordHash { get; init; }

    /// <summary>How long FreeRADIUS may replay this Accept (seconds); sent as a negative Cache-TTL, which replaces any older entry.</summary>
    public int? CacheSeconds { get; init; }

    /// <summary>What FreeRADIUS may keep to repeat this Accept itself for a few minutes (<see cref="FreeRadiusAnswers"/>); control attributes only.</summary>
    public RepeatEntry? RepeatEntry { get; init; }

    public static RadiusAnswer Continue { get; } = new(RadiusAnswerKind.Continue, "continue");

    public static RadiusAnswer Reject(string code, string message) => new(RadiusAnswerKind.Reject, code, message);

    /// <summary>The rlm_rest response body: control:Auth-Type for Continue, the VLAN and timeout for Accept, Reply-Message for Reject.</summary>
    public JsonObject ToRestJson()
    {
        var body = new JsonObject();
        switch (Kind)
        {
            case RadiusAnswerKind.Continue:
                body["control:Auth-Type"] = Value("rest");
                break;
            case RadiusAnswerKind.Accept:
                if (AcceptWithoutPassword)
                {
                    body["control:Auth-Type"] = Value("Accept");
                }

                if (Vlan is not null)
                {
                    // RFC 3580 §3.31: VLAN assignment is these three attributes together.
                    body["reply:Tunnel-Type"] = Value("VLAN");
                    body["reply:Tunnel-Medium-Type"] = Value("IEEE-802");
                    body["reply:Tunnel-Private-Group-Id"] = Value(Vlan);
                }

                if (SessionTimeoutSeconds is { } timeout)
                {
                    body["reply:Session-Timeout"] = Value(timeout.ToString(CultureInfo.InvariantCulture));
                    // RFC 2865 §5.29: at the timeout the session ends (the NAS does not merely re-authenticate silently).
                    body["reply:Termination-Action"] = Value("Default");
                }

                if (Message is not null)
                {
                    body["reply:Reply-Message"] = Value(Message);
                }

                if (CachedPasswordHash is not null && CacheSeconds is { } ttl)
                {
                    // Control attributes stay in FreeRADIUS (never sent to the NAS); the brightline site's post-auth stores them.
                    body["control:PBKDF2-Password"] = Value(CachedPasswordHash);
                    body["control:Cache-TTL"] = Value((-ttl).ToString(CultureInfo.InvariantCulture));
                }

                if (RepeatEntry is { } repeat)
                {
                    // The generated site's brightline_keep_answer stores these (never sent to the NAS).
                    body["control:Tmp-String-3"] = Value(repeat.Salt);
                    body["control:Tmp-String-4"] = Value(repeat.PasswordHash);
                    body["control:Tmp-String-9"] = Value(repeat.PolicyVersion);
                    body["control:Tmp-Integer-3"] = Value(repeat.SessionSeconds.ToString(CultureInfo.InvariantCulture));
                    body["control:Tmp-Integer-4"] = Value(repeat.Seconds.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case RadiusAnswerKind.Reject:
                body["reply:Reply-Message"] = Value(Message ?? "Access refused.");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown answer.");
        }

        return body;
    }

    private static JsonObject Value(string value) => new() { ["value"] = new JsonArray(value), ["op"] = ":=", ["do_xlat"] = false };
}
