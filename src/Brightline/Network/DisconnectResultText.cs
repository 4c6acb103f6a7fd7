namespace Brightline.Network;

/// <summary>What a <see cref="DisconnectResult"/> means, in words for the page and as a stable key for the audit log.</summary>
public static class DisconnectResultText
{
    public static string Describe(DisconnectResult result) => result switch
    {
        DisconnectResult.Disconnected => "Disconnected: the network controller ended the session. If the device joins again, it gets Brightline's answer as it stands now.",
        DisconnectResult.Refused => "The network controller refused to disconnect the session (it may no longer hold it).",
        DisconnectResult.NoAnswer => "The network controller did not answer the disconnect request. The session may still be open.",
        DisconnectResult.NoRoute => "Brightline cannot reach this session's network controller: it gave no address, or no RADIUS client in the policy covers it.",
        DisconnectResult.AlreadyEnded => "This session had already ended.",
        DisconnectResult.NotFound => "There is no such session.",
        DisconnectResult.UnverifiedAnswer => "The network controller's answers could not be verified (is its shared secret the one Brightline has?). The session may still be open.",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "A disconnect result with no words."),
    };

    /// <summary>Whether the result is the session ending (green) rather than a failure to look at.</summary>
    public static bool Ended(DisconnectResult result) => result is DisconnectResult.Disconnected or DisconnectResult.AlreadyEnded;

    public static string Key(DisconnectResult result) => result switch
    {
        DisconnectResult.Disconnected => "disconnected",
        DisconnectResult.Refused => "refused",
        DisconnectResult.NoAnswer => "no-answer",
        DisconnectResult.NoRoute => "no-route",
        DisconnectResult.AlreadyEnded => "already-ended",
        DisconnectResult.NotFound => "not-found",
        DisconnectResult.UnverifiedAnswer => "unverified-answer",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "A disconnect result with no key."),
    };
}
