namespace Brightline.Incidents;

/// <summary>O11: what was done to a pupil's device, as the searching-and-deleting part of the policy asks it be recorded.</summary>
/// <param name="Device">Which device: free text, or the asset tag or serial number of a device in the Devices register.</param>
/// <param name="At">When the search happened (the school's time); not in the future.</param>
public sealed record DeviceSearch(string? Device, string? SearchedBy, string? AuthorisedBy, DateTimeOffset? At, string? Found);
