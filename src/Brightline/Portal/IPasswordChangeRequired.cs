namespace Brightline.Portal;

/// <summary>
/// Whether an account must change its password before anything else (issue 15: past the policy's maximum age, or
/// reported compromised), asked by <see cref="PortalGate"/> on every signed-in request. The Passwords feature answers.
/// </summary>
public interface IPasswordChangeRequired
{
    /// <summary>The reason (<c>expired</c>, <c>compromised</c>), or null when the account may carry on.</summary>
    Task<string?> ReasonAsync(string userId, CancellationToken cancellationToken);
}
