using Brightline.Data.Entities;

namespace Brightline.Network;

/// <summary>What the person page's Network section shows: their live sessions and their last refused sign-in.</summary>
public sealed record PersonNetworkView(Guid PersonId, string GivenName, IReadOnlyList<NetworkSession> Sessions, NetworkReject? LastReject);
