namespace Brightline.Network;

/// <summary>What came back for a Disconnect-Request, once verified.</summary>
public enum DisconnectReplyKind
{
    /// <summary>Disconnect-ACK (code 41).</summary>
    Ack,
    /// <summary>Disconnect-NAK (code 42), usually with an Error-Cause.</summary>
    Nak,
    /// <summary>No verified answer after every retransmission.</summary>
    NoAnswer,
    /// <summary>Only answers that failed verification came back (the NAS signs with another shared secret, or someone else answered).</summary>
    Unverified,
}
