namespace Brightline.Devices;

/// <summary>An attestation through the API: its key, whether it is confirmed (default yes) and a note.</summary>
public sealed record DeviceAttestJson(string? Kind, bool? Confirmed, string? Note);
