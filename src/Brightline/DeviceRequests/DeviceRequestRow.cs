using Brightline.Data.Entities;

namespace Brightline.DeviceRequests;

/// <summary>A request in a list, with the owner's name.</summary>
public sealed record DeviceRequestRow(DeviceRequest Request, string PersonName);
