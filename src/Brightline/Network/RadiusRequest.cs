using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Brightline.Network;

/// <summary>
/// One request as FreeRADIUS's rlm_rest sends it with <c>body = json</c>: an object of attributes, each
/// <c>{"type": "string", "value": ["…"]}</c> (see <c>mods-available/rest</c>). Parsing never throws anything but
/// <see cref="RadiusRequestException"/>, whose message says what was wrong; unknown attributes (a NAS sends many
/// vendor attributes) are kept and ignored, but the attributes Brightline reads must have one well-formed value.
/// </summary>
public sealed class RadiusRequest
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxAttributes = 256;
    public const int MaxValuesPerAttribute = 32;
    public const int MaxValueLength = 4096;

    /// <summary>RFC 2865 §5: an attribute carries at most 253 octets, so a longer name cannot have come from a NAS.</summary>
    public const int MaxUserNameLength = 253;

    private readonly Dictionary<string, List<string>> _attributes;

    private RadiusRequest(Dictionary<string, List<string>> attributes) => _attributes = attributes;

    public static RadiusRequest Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxBodyBytes)
        {
            throw new RadiusRequestException($"The request body is larger than {MaxBodyBytes} bytes.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            throw new RadiusRequestException("The request body is not JSON; configure the rest module with body = 'json'.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RadiusRequestException("The request body must be a JSON object of attributes.");
            }

            var attributes = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (attributes.Count >= MaxAttributes)
                {
                    throw new RadiusRequestException($"The request has more than {MaxAttributes} attributes.");
                }

                attributes[property.Name] = Values(property);
            }

            return new RadiusRequest(attributes);
        }
    }

    private static List<string> Values(JsonProperty property)
    {
        if (property.Value.ValueKind != JsonValueKind.Object || !property.Value.TryGetProperty("value", out var value))
        {
            throw new RadiusRequestException($"Attribute '{Shown(property.Name)}' must be an object with a 'value' array, as rlm_rest sends it.");
        }

        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        if (items.Count > MaxValuesPerAttribute)
        {
            throw new RadiusRequestException($"Attribute '{Shown(property.Name)}' has more than {MaxValuesPerAttribute} values.");
        }

        var values = new List<string>(items.Count);
        foreach (var item in items)
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!
                : item.ValueKind == JsonValueKind.Number ? item.GetRawText()
                : throw new RadiusRequestException($"Attribute '{Shown(property.Name)}' has a value that is neither text nor a number.");
            if (text.Length > MaxValueLength)
            {
                throw new RadiusRequestException($"Attribute '{Shown(property.Name)}' has a value longer than {MaxValueLength} characters.");
            }

            values.Add(text);
        }

        return values;
    }

    /// <summary>An attribute name as it may appear in a message: printable and short.</summary>
    private static string Shown(string name) =>
        name.Length <= 64 && name.All(c => c is >= ' ' and <= '~') ? name : "(unreadable name)";

    /// <summary>The single value of <paramref name="name"/>, or null when absent; two values of an attribute Brightline reads is malformed.</summary>
    public string? Single(string name)
    {
        if (!_attributes.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        return values.Count == 1 ? values[0] : throw new RadiusRequestException($"Attribute '{name}' must have one value, not {values.Count}.");
    }

    /// <summary>User-Name: required, at most 253 characters, no control characters.</summary>
    public string UserName
    {
        get
        {
            var name = Single("User-Name") ?? throw new RadiusRequestException("The request has no User-Name.");
            if (name.Length is 0 or > MaxUserNameLength || name.Any(char.IsControl))
            {
                throw new RadiusRequestException("User-Name must be 1 to 253 printable characters.");
            }

            return name.Trim();
        }
    }

    public string? Password => Single("User-Password");

    public string? NasIdentifier => Single("NAS-Identifier");

    /// <summary>
    /// The SSID: the part of Called-Station-Id after the first colon, in the usual <c>AA-BB-CC-DD-EE-FF:SSID</c>
    /// form (RFC 3580 §3.20); null when the NAS sends only a MAC address (a wired port).
    /// </summary>
    public string? Ssid
    {
        get
        {
            var called = Single("Called-Station-Id");
            var colon = called?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            return colon >= 0 && colon < called!.Length - 1 ? called[(colon + 1)..] : null;
        }
    }

    public string? CallingStationId => Single("Calling-Station-Id");

    /// <summary>NAS-IP-Address: where the NAS listens for Disconnect-Request (RFC 5176); null when absent.</summary>
    public IPAddress? NasIpAddress => Ipv4("NAS-IP-Address");

    /// <summary>The IPv4 address in attribute <paramref name="name"/>, null when absent; anything else there is malformed.</summary>
    private IPAddress? Ipv4(string name)
    {
        var text = Single(name);
        if (text is null)
        {
            return null;
        }

        return IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address
            : throw new RadiusRequestException($"{name} is not an IPv4 address.");
    }

    /// <summary>Acct-Session-Id (RFC 2866 §5.5): required in accounting, at most 253 printable characters.</summary>
    public string AcctSessionId
    {
        get
        {
            var id = Single("Acct-Session-Id") ?? throw new RadiusRequestException("An accounting request must carry Acct-Session-Id.");
            return id.Length is 0 or > MaxUserNameLength || id.Any(char.IsControl)
                ? throw new RadiusRequestException("Acct-Session-Id must be 1 to 253 printable characters.")
                : id;
        }
    }

    /// <summary>Acct-Terminate-Cause as sent (a name such as User-Request, or a number); null when absent.</summary>
    public string? AcctTerminateCause => Single("Acct-Terminate-Cause") is { } cause && cause.Length <= 64 && !cause.Any(char.IsControl) ? cause : null;

    /// <summary>Framed-IP-Address, or null when absent (a Start often comes before DHCP has given one).</summary>
    public IPAddress? FramedIpAddress => Ipv4("Framed-IP-Address");

    /// <summary>Acct-Status-Type by name (rlm_rest sends enumerated values by name) or by number (RFC 2866 §5.1).</summary>
    public AccountingStatus AccountingStatus
    {
        get
        {
            var text = Single("Acct-Status-Type") ?? throw new RadiusRequestException("An accounting request must carry Acct-Status-Type.");
            return text switch
            {
                "Start" or "1" => AccountingStatus.Start,
                "Stop" or "2" => AccountingStatus.Stop,
                "Interim-Update" or "Alive" or "3" => AccountingStatus.InterimUpdate,
                "Accounting-On" or "7" => AccountingStatus.AccountingOn,
                "Accounting-Off" or "8" => AccountingStatus.AccountingOff,
                _ => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    ? AccountingStatus.Other
                    : throw new RadiusRequestException($"Acct-Status-Type '{Shown(text)}' is not one Brightline knows (Start, Interim-Update, Stop, Accounting-On, Accounting-Off)."),
            };
        }
    }
}
