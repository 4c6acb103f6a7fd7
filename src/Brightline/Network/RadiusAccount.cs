using Brightline.Data.Entities;

namespace Brightline.Network;

/// <summary>A RADIUS User-Name resolved to a portal account and the person it is at the school.</summary>
public sealed record RadiusAccount(ApplicationUser User, Person Person);
