namespace Brightline.Portal;

/// <summary>
/// Whether an account is suspended now (F14), asked by <see cref="PortalGate"/> on every signed-in request. The
/// sanctions feature answers; the portal only knows that an answer exists.
/// </summary>
public interface ISuspendedAccounts
{
    /// <summary>The page that tells a suspended user why they were signed out.</summary>
    string SuspendedPath { get; }

    Task<bool> IsSuspendedAsync(string userId, CancellationToken cancellationToken);
}
