using System.ComponentModel.DataAnnotations;

namespace Brightline.Network;

/// <summary>
/// FreeRADIUS in front of Brightline (section <c>Brightline:Radius</c>, issue 13): the machine key each school's
/// FreeRADIUS presents to <c>/api/v1/radius/…</c>, and the RADIUS shared secrets the policy's <c>radius_clients</c>
/// name. Secrets live here (or in the environment), never in the policy file, and are never logged.
/// </summary>
public sealed class RadiusOptions : IValidatableObject
{
    public const string Section = "Brightline:Radius";

    /// <summary>The shortest machine key accepted: a short key could be guessed by anyone who can reach the API.</summary>
    public const int MinKeyLength = 24;

    /// <summary>School ID → the machine key (a bearer secret) that school's FreeRADIUS sends; none: the RADIUS API answers no one.</summary>
    public Dictionary<string, string> MachineKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A radius client's <c>secret_setting</c> → its shared secret, written to clients.conf by <c>brightline radius config</c>.</summary>
    public Dictionary<string, string> ClientSecrets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// School ID → where that school's FreeRADIUS servers take Brightline's "forget the answers you keep" (their CoA
    /// listener, <c>host:port</c>, from <c>brightline radius config --coa-port</c>). Named: FreeRADIUS answers repeat
    /// sign-ins itself (<see cref="FreeRadiusAnswers"/>). Not named: every sign-in is Brightline's.
    /// </summary>
    public Dictionary<string, List<string>> AnswerCaches { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long FreeRADIUS may repeat a live Accept, in seconds (0: never); default 300, as Brightline's own decision cache.</summary>
    [Range(0, 3600)]
    public int AnswerCacheSeconds { get; set; } = 300;

    /// <summary>How many times a Disconnect-Request is sent before the NAS is taken as silent (RFC 5176 §2.3 retransmission); default 3.</summary>
    [Range(1, 10)]
    public int DisconnectAttempts { get; set; } = 3;

    /// <summary>How long to wait for the NAS's answer after each send, in milliseconds; default 3000.</summary>
    [Range(100, 30_000)]
    public int DisconnectTimeoutMilliseconds { get; set; } = 3000;

    public TimeSpan DisconnectTimeout => TimeSpan.FromMilliseconds(DisconnectTimeoutMilliseconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (school, endpoints) in AnswerCaches)
        {
            foreach (var endpoint in endpoints)
            {
                if (!System.Net.IPEndPoint.TryParse(endpoint, out var parsed) || parsed.Port == 0)
                {
                    yield return new ValidationResult(
                        $"AnswerCaches:{school} has '{endpoint}', which is not an address and port (for example 127.0.0.1:3799).", [nameof(AnswerCaches)]);
                }
                else if (!MachineKeys.ContainsKey(school))
                {
                    yield return new ValidationResult(
                        $"AnswerCaches:{school} is set, but MachineKeys:{school} is not: the machine key is the CoA listener's shared secret.", [nameof(AnswerCaches)]);
                }
            }
        }

        foreach (var (school, key) in MachineKeys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Trim().Length < MinKeyLength)
            {
                yield return new ValidationResult(
                    $"The machine key for school '{school}' is shorter than {MinKeyLength} characters; use a long random value (brightline radius config prints one).",
                    [nameof(MachineKeys)]);
            }
        }
    }
}
