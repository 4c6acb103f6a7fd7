namespace Brightline.DeviceRequests;

/// <summary>
/// What the form or the API sends. <see cref="Kind"/> is personal_device or removable_media; <see cref="DeviceKind"/> a
/// register kind (phone, laptop, removable_media …); <see cref="Attestations"/> the keys the asker confirms;
/// <see cref="Macs"/> addresses separated by spaces, commas or new lines; <see cref="Renews"/> the approved request
/// this one renews; <see cref="Agreed"/> that the asker ticked "I agree" to the rule's agreement (O19), ignored when the
/// rule has none.
/// </summary>
public sealed record NewDeviceRequest(
    Guid PersonId, string? Kind, string? DeviceKind, string? Description, string? MakeModel, string? Serial, string? Macs,
    string? Reason, IReadOnlyList<string>? Attestations, Guid? Renews = null, bool Agreed = false);
