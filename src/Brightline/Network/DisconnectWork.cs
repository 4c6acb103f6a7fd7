using Brightline.AccessChanges;

namespace Brightline.Network;

/// <summary>An access change waiting for <see cref="DisconnectWorker"/>, and which try this is.</summary>
public sealed record DisconnectWork(AccessChange Change, int Attempt);
