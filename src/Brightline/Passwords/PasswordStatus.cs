using Brightline.Policy.Model;

namespace Brightline.Passwords;

/// <summary>Where an account's password stands: must it change now (and why), when it expires, whether to warn.</summary>
public sealed record PasswordStatus(string? MustChange, DateOnly? ExpiresOn, bool Warn, PasswordMaxAge? MaxAge)
{
    public static readonly PasswordStatus Fine = new(null, null, false, null);
}
