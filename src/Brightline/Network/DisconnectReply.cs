namespace Brightline.Network;

/// <summary>The verified outcome of one Disconnect-Request; <see cref="ErrorCause"/> is the NAK's Error-Cause (RFC 5176 §3.6), if it gave one.</summary>
public readonly record struct DisconnectReply(DisconnectReplyKind Kind, int? ErrorCause = null)
{
    /// <summary>The Error-Cause in words (RFC 5176 §3.6's names), for the audit log and the session's record.</summary>
    public string? ErrorCauseText => ErrorCause switch
    {
        null => null,
        201 => "201 residual session context removed",
        401 => "401 unsupported attribute",
        402 => "402 missing attribute",
        403 => "403 NAS identification mismatch",
        404 => "404 invalid request",
        405 => "405 unsupported service",
        406 => "406 unsupported extension",
        407 => "407 invalid attribute value",
        501 => "501 administratively prohibited",
        502 => "502 request not routable (proxy)",
        503 => "503 session context not found",
        504 => "504 session context not removable",
        505 => "505 other proxy processing error",
        506 => "506 resources unavailable",
        507 => "507 request initiated",
        508 => "508 multiple session selection unsupported",
        { } other => other.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
