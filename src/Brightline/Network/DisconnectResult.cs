namespace Brightline.Network;

/// <summary>What a disconnect did.</summary>
public enum DisconnectResult
{
    /// <summary>The NAS acknowledged (Disconnect-ACK); the session is ended.</summary>
    Disconnected,
    /// <summary>The NAS refused (Disconnect-NAK, e.g. no such session any more).</summary>
    Refused,
    /// <summary>The NAS did not answer after the retries.</summary>
    NoAnswer,
    /// <summary>The session's NAS gave no address, or no RADIUS client in the policy covers it (no secret to sign with).</summary>
    NoRoute,
    AlreadyEnded,
    NotFound,
    /// <summary>Answers came back but none verified with the client's shared secret (a wrong secret, or a forgery); the session is left as it is.</summary>
    UnverifiedAnswer,
}
